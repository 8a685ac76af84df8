package com.onecard.pos.terminal.app;

import com.onecard.pos.display.Screen;
import com.onecard.pos.reader.gpio.NoopFeedback;
import com.onecard.pos.terminal.auth.DeclineReason;
import com.onecard.pos.terminal.sale.SaleOutcome;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SaleEffectsTest {
    @TempDir
    Path dir;

    @Test
    void offlineTheScreenDoesNotSendTheStudentToAQrCodeTheCenterCannotTake() {
        var cfg = TestConfigs.config(dir);
        List<Screen> shown = new ArrayList<>();
        try (Store store = Store.open(dir.resolve("t.db"), HexFormat.of().parseHex("00112233445566778899aabbccddeeff"));
             Display display = new Display(s -> { })) {
            // what the display shows is current() at once; its renderer draws later on its own thread
            var screens = new Screens(display, store, null, () -> cfg, Clock.systemDefaultZone(), () -> null);
            var effects = new SaleEffects(new NoopFeedback(), screens, null, new SaleOutcomes(), () -> null);
            effects.outcome(new SaleOutcome("T01-1", false, DeclineReason.OVER_OFFLINE_SALE_CAP, 9000, "901F2AA4", 7, "Li Lei",
                    0, 0, "offline", 0, 0));
            shown.add(display.current());
        }
        Screen.Declined d = (Screen.Declined) shown.get(shown.size() - 1);
        assertThat(d.reason()).startsWith("脱机时金额过大，请减少金额（扫码支付也需联网） / ").contains("pay a smaller amount").contains("QR payment also needs the card center")
                .doesNotContain("or by QR");
    }

    /** Every outcome, approved or declined, ends the terminal loop's background hold for the sale (TerminalApp wires it). */
    @Test
    void eachOutcomeEndsTheSalesHoldOnBackgroundWork() {
        var cfg = TestConfigs.config(dir);
        java.util.concurrent.atomic.AtomicInteger released = new java.util.concurrent.atomic.AtomicInteger();
        try (Store store = Store.open(dir.resolve("t.db"), HexFormat.of().parseHex("00112233445566778899aabbccddeeff"));
             Display display = new Display(s -> { })) {
            var screens = new Screens(display, store, null, () -> cfg, Clock.systemDefaultZone(), () -> null);
            var effects = new SaleEffects(new NoopFeedback(), screens, null, new SaleOutcomes(), () -> null, released::incrementAndGet);
            effects.outcome(new SaleOutcome("T01-1", false, DeclineReason.OVER_OFFLINE_SALE_CAP, 9000, "901F2AA4", 7, "Li Lei",
                    0, 0, "offline", 0, 0));
            assertThat(released).hasValue(1);
        }
    }
}
