package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatusCommandTest {
    @Test
    void phantomReadsTheReaderDroppedAreShownWithAHint() throws Exception {
        var s = new ObjectMapper().readTree("""
                {"terminal_id":"T01","reader":{"state":"OK","port":"/dev/ttyUSB0","taps":4,"errors":0,"implausible":7},
                 "sync":{"connected":true},"backlog":{},"cache":{}}""");
        assertThat(StatusCommand.render(s)).contains("phantom reads dropped 7");
        assertThat(StatusCommand.hints(s)).anyMatch(h -> h.contains("no card has"));
    }
}
