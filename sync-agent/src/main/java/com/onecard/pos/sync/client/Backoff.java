package com.onecard.pos.sync.client;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: a delay drawn uniformly from [0, min(cap, base·2^n)].
 * Full jitter spreads a fleet of terminals that lost the center at the same moment.
 */
final class Backoff {
    private final long baseMs;
    private final long capMs;
    private final LongUnaryOperator random;
    private int attempts;

    Backoff(Duration base, Duration cap, LongUnaryOperator randomBelow) {
        this.baseMs = base.toMillis();
        this.capMs = cap.toMillis();
        this.random = randomBelow;
    }

    Duration next() {
        long ceiling = Math.min(capMs, baseMs << Math.min(attempts, 20));
        attempts++;
        return Duration.ofMillis(random.applyAsLong(ceiling + 1));
    }

    void reset() {
        attempts = 0;
    }
}
