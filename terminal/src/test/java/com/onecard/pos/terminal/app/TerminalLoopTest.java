package com.onecard.pos.terminal.app;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Taps before background work; the terminal thread survives anything one event throws, and a periodic task keeps its schedule. */
class TerminalLoopTest {
    @Test
    void aTapPostedBehindBackgroundWorkRunsBeforeIt() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TerminalLoop loop = new TerminalLoop("T99")) {
            loop.background(() -> {
                running.countDown();
                await(release);
                order.add("batch-0");
            });
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                loop.background(() -> order.add("batch-" + n));
            }
            loop.execute(() -> order.add("tap"));
            assertThat(loop.backgroundWaiting()).isEqualTo(3);
            release.countDown();
            loop.call(() -> null).get(5, TimeUnit.SECONDS);
            CountDownLatch done = new CountDownLatch(1);
            loop.background(done::countDown);
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }
        // the batch already running finishes; the tap goes before the three still waiting
        assertThat(order).containsExactly("batch-0", "tap", "batch-1", "batch-2", "batch-3");
    }

    @Test
    void aFailingTaskDoesNotStopTheLoop() throws Exception {
        try (TerminalLoop loop = new TerminalLoop("T99")) {
            loop.execute(() -> {
                throw new IllegalStateException("provoked by the test");
            });
            assertThat(loop.call(() -> "still running").get(5, TimeUnit.SECONDS)).isEqualTo("still running");
        }
    }

    @Test
    void anErrorInOneEventDoesNotStopTheNext() throws Exception {
        try (TerminalLoop loop = new TerminalLoop("T-test")) {
            CountDownLatch next = new CountDownLatch(1);
            loop.execute(() -> {
                throw new StackOverflowError("deep recursion in one event");
            });
            loop.execute(next::countDown);
            assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aPeriodicTaskThatThrowsAnErrorRunsAgain() throws Exception {
        try (TerminalLoop loop = new TerminalLoop("T-test")) {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch thrice = new CountDownLatch(3);
            loop.every(Duration.ofMillis(5), () -> {
                thrice.countDown();
                if (runs.incrementAndGet() == 1) {
                    throw new AssertionError("an Error in the first tick");
                }
            });
            assertThat(thrice.await(5, TimeUnit.SECONDS)).as("the tick ran after its Error").isTrue();
        }
    }

    @Test
    void anErrorInACallCompletesItsFuture() {
        try (TerminalLoop loop = new TerminalLoop("T-test")) {
            var f = loop.call(() -> {
                throw new LinkageError("class missing");
            });
            assertThat(f).failsWithin(Duration.ofSeconds(5));
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A card answered (hold): background work posted meanwhile does not start, taps and commands still run;
     * the sale's outcome (release) lets it run.
     */
    @Test
    void whileACardIsSoldNoBackgroundTaskStartsAndTheOutcomeLetsItRun() throws Exception {
        try (TerminalLoop loop = new TerminalLoop("T01")) {
            List<String> order = new CopyOnWriteArrayList<>();
            CountDownLatch ranBackground = new CountDownLatch(1);
            loop.holdBackground(Duration.ofMinutes(5));
            loop.background(() -> {
                order.add("batch");
                ranBackground.countDown();
            });
            // each round trip leaves the thread idle with the batch waiting: it would start it then
            for (int i = 0; i < 5; i++) {
                int n = i;
                loop.call(() -> order.add("tap " + n)).get(5, TimeUnit.SECONDS);
            }
            assertThat(order).as("work that ran while the card was sold").doesNotContain("batch").hasSize(5);
            loop.releaseBackground();
            assertThat(ranBackground.await(5, TimeUnit.SECONDS)).as("the batch after the sale's outcome").isTrue();
            assertThat(order).last().isEqualTo("batch");
        }
    }
}
