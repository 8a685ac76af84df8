package com.onecard.pos.terminal.app;

import com.onecard.pos.terminal.control.ControlClient;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * selftest (run by the health timer every minute) never takes the terminal thread's turn: it
 * answers while that thread is busy, checking the journal on its own read-only connection.
 */
class SelfTestOffTheTerminalThreadIT {
    static final String SECRET = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;

    @Test
    void selftestAnswersWhileTheTerminalThreadIsBusy() throws Exception {
        var cfg = TestConfigs.config(dir);
        CountDownLatch release = new CountDownLatch(1);
        try (TerminalApp app = TerminalApp.start(cfg, com.onecard.pos.terminal.testutil.TestKeys.inMemory("T01"), Clock.systemDefaultZone(), screen -> { });
             ControlClient c = new ControlClient(cfg.control().socket())) {
            CountDownLatch busy = new CountDownLatch(1);
            app.loop.execute(() -> {
                busy.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
            var r = c.call(c.request("selftest").put("full", true));
            assertThat(release.getCount()).as("the terminal thread was still busy when selftest answered").isEqualTo(1);
            assertThat(r.path("passed").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.path("checks").get(0).path("detail").asText()).contains("journal chain verifies");
            release.countDown();
        } finally {
            release.countDown();
        }
    }

    /**
     * The health timer's selftest (every minute, during sales) checks the chain since the last check and
     * leaves the whole-file check (every page: it grows with the journal and takes a core from the sale)
     * to selftest --full and the daily check; it reports the last one.
     */
    @Test
    void theMinutesSelftestLeavesTheWholeFileCheckToTheFullOne() throws Exception {
        var cfg = TestConfigs.config(dir);
        try (TerminalApp app = TerminalApp.start(cfg, com.onecard.pos.terminal.testutil.TestKeys.inMemory("T01"), Clock.systemDefaultZone(), screen -> { });
             ControlClient c = new ControlClient(cfg.control().socket())) {
            for (int i = 0; i < 3; i++) {
                var r = c.call("selftest");
                assertThat(r.path("passed").asBoolean()).as(r.toString()).isTrue();
                assertThat(r.path("checks").get(0).path("detail").asText()).contains("journal chain verifies")
                        .contains("not checked in full since start");
            }
            assertThat(app.chainCheck.integrityChecks()).as("whole-file checks run by the minute's selftest").isZero();

            var full = c.call(c.request("selftest").put("full", true));
            assertThat(full.path("passed").asBoolean()).as(full.toString()).isTrue();
            assertThat(full.path("checks").get(0).path("detail").asText()).contains("checked in full now");
            assertThat(app.chainCheck.integrityChecks()).isEqualTo(1);

            var after = c.call("selftest");
            assertThat(after.path("checks").get(0).path("detail").asText()).contains("checked in full at");
            assertThat(app.chainCheck.integrityChecks()).as("the minute's selftest reports the last whole-file check").isEqualTo(1);
        }
    }

    /** The daemon's selftest (the control command) yields to a card being sold: it answers after the sale's outcome. */
    @Test
    void aSelftestDuringASaleRunsAfterTheSalesOutcome() throws Exception {
        var cfg = TestConfigs.config(dir);
        try (TerminalApp app = TerminalApp.start(cfg, com.onecard.pos.terminal.testutil.TestKeys.inMemory("T01"), Clock.systemDefaultZone(), screen -> { });
             ControlClient c = new ControlClient(cfg.control().socket())) {
            app.loop.holdBackground(java.time.Duration.ofMinutes(5)); // a card answered the reader (ReaderEvents.onCardSeen)
            var selftest = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return c.call("selftest");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(com.onecard.pos.terminal.testutil.Await.until(java.time.Duration.ofSeconds(20),
                    () -> app.loop.saleWaiters() == 1 || selftest.isDone())).isTrue();
            assertThat(selftest).as("answered while the card was being sold").isNotDone();
            app.loop.releaseBackground(); // the sale's outcome (SaleEffects.outcome)
            var r = selftest.get(20, TimeUnit.SECONDS);
            assertThat(r.path("passed").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.path("checks")).hasSize(9);
            assertThat(r.path("checks").get(0).path("detail").asText()).contains("journal chain verifies");
        }
    }
}
