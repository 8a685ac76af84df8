package com.onecard.pos.center.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline; polling, so no sleeping in place of an outcome. */
public final class Await {
    private Await() {
    }

    public static void until(Duration deadline, BooleanSupplier condition, Supplier<String> whatFailed) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached within " + deadline.toMillis() + " ms: " + whatFailed.get());
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }
}
