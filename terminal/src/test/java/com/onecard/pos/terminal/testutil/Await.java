package com.onecard.pos.terminal.testutil;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition with a deadline (never a fixed sleep for an outcome); the condition may do I/O. */
public final class Await {
    private Await() {
    }

    /** Polls {@code condition} every 20 ms until it holds or {@code deadline} passes; returns whether it held. */
    public static boolean until(Duration deadline, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                return false;
            }
            LockSupport.parkNanos(20_000_000L);
        }
        return true;
    }
}
