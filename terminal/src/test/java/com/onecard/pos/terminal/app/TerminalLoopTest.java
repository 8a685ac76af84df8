package com.onecard.pos.terminal.app;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

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

    private static void await(CountDownLatch l) {
        try {
            l.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
