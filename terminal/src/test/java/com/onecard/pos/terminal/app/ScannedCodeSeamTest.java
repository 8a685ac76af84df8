package com.onecard.pos.terminal.app;

import com.onecard.pos.terminal.sale.ScannedCode;
import com.onecard.pos.terminal.sale.ScannedCodeConsumer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scanner's codes reach the consumer on the terminal thread, stamped, in order; the default consumer refuses them. */
class ScannedCodeSeamTest {
    private static final Instant T = Instant.parse("2026-11-29T11:45:00Z");

    @Test
    void eachCodeReachesTheConsumerOnTheTerminalThreadStampedAndInScanOrderAndBlankLinesDoNot() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TerminalLoop loop = new TerminalLoop("T99")) {
            ScannedCodeConsumer consumer = code -> seen.add(code.text() + "@" + code.at() + (loop.onLoopThread() ? " loop" : " other"));
            ScannerEvents events = new ScannerEvents(loop, Clock.fixed(T, ZoneOffset.UTC), consumer);
            events.accept("OC1.first");
            events.accept("");
            events.accept("OC1.second");
            loop.call(() -> null).get(5, TimeUnit.SECONDS);
        }
        assertThat(seen).containsExactly("OC1.first@" + T + " loop", "OC1.second@" + T + " loop");
    }

    @Test
    void aScannedCodeNeverPrintsItsTextAndMustHaveSome() {
        ScannedCode c = new ScannedCode("OC1.secret-bearer-code", T);
        assertThat(c.toString()).doesNotContain("secret").contains("22 chars");
        assertThatThrownBy(() -> new ScannedCode("", T)).hasMessageContaining("text");
    }

    @Test
    void withoutAPaymentCodeConsumerACodeIsShownAsNotAPaymentCodeOnlyWhenNoSaleIsOnTheScreen() {
        List<String> shown = new ArrayList<>();
        boolean[] idle = {true};
        UnrecognisedCodes codes = new UnrecognisedCodes(shown::add, () -> idle[0]);
        codes.onScannedCode(new ScannedCode("https://example.com/menu", T));
        idle[0] = false;
        codes.onScannedCode(new ScannedCode("6901234567892", T));
        assertThat(shown).containsExactly(UnrecognisedCodes.MESSAGE);
        assertThat(codes.count()).isEqualTo(2);
    }
}
