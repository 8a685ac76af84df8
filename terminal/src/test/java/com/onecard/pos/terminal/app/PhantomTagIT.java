package com.onecard.pos.terminal.app;

import com.onecard.pos.reader.rdm6300.Rdm6300Frame;
import com.onecard.pos.terminal.control.ControlClient;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An RDM6300 that reports phantom tags (valid checksums, no tag in the field, as public bug
 * reports show) on a real pty: the daemon never turns them into a tap, the pending sale keeps
 * waiting, and the status counts them.
 */
class PhantomTagIT {
    @TempDir
    Path dir;
    com.onecard.pos.terminal.testutil.SocatPty socat;

    @AfterEach
    void stop() throws InterruptedException {
        if (socat != null) {
            socat.close();
        }
    }

    @Test
    void phantomTagsNeverEndAPendingSaleAndAreCounted() throws Exception {
        socat = com.onecard.pos.terminal.testutil.SocatPty.start(dir);
        Path host = socat.host();
        Path module = socat.module();
        var cfg = TestConfigs.file(dir, "reader.driver", "rdm6300", "reader.port", host.toString(), "reader.baud", "9600");
        try (TerminalApp app = TerminalApp.start(cfg, com.onecard.pos.terminal.testutil.TestKeys.inMemory("T01"), Clock.systemDefaultZone(), screen -> { });
             ControlClient c = new ControlClient(cfg.control().socket());
             OutputStream wire = Files.newOutputStream(module)) {
            com.onecard.pos.terminal.testutil.Await.until(java.time.Duration.ofSeconds(20),
                    () -> c.call("status").path("reader").path("state").asText().equals("OK"));
            assertThat(c.call("status").path("reader").path("state").asText()).isEqualTo("OK");
            var sale = c.call(c.request("sale").put("amount_fen", 1250));
            assertThat(sale.path("ok").asBoolean()).as(sale.toString()).isTrue();
            for (String phantom : new String[]{"0000000000", "000000078F", "00F00000F0"}) {
                byte[] frame = new Rdm6300Frame(HexFormat.of().parseHex(phantom)).encode();
                for (int i = 0; i < 4; i++) {
                    wire.write(frame); // the module repeats a tag about every 65 ms; bursts are read the same
                    wire.flush();
                }
            }
            com.onecard.pos.terminal.testutil.Await.until(java.time.Duration.ofSeconds(20),
                    () -> c.call("status").path("reader").path("implausible").asLong() >= 12);
            var status = c.call("status");
            assertThat(status.path("reader").path("implausible").asLong()).isEqualTo(12);
            assertThat(status.path("reader").path("taps").asLong()).isZero();
            assertThat(status.path("sale_state").asText()).isEqualTo("WAIT_CARD");
        }
    }
}
