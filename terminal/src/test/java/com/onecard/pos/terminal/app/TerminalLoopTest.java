package com.onecard.pos.terminal.app;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The terminal thread survives anything one event throws, and a periodic task keeps its schedule. */
class TerminalLoopTest {
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
}
