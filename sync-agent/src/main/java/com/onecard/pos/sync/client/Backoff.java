package com.onecard.pos.sync.client;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS Architecture Blog,
 * 2015): a delay drawn uniformly from [0, ceiling]. The first delay after a {@link #reset()} (a
 * session that made progress ended: the center restarted, failed over or cut the link) has the
 * ceiling {@code spread}, so a fleet that lost the center at the same moment comes back spread over
 * it rather than at once; each further failure has min(cap, base·2^n), n = 1, 2, …
 */
final class Backoff {
    private final long baseMs;
    private final long capMs;
    private final long spreadMs;
    private final LongUnaryOperator random;
    private int attempts;

    /** With the first delay's ceiling {@code base}, as every later one's starts. */
    Backoff(Duration base, Duration cap, LongUnaryOperator randomBelow) {
        this(base, cap, base, randomBelow);
    }

    /**
     * @param spread      the first delay's ceiling after a reset
     * @param randomBelow n → a uniformly drawn value in [0, n)
     */
    Backoff(Duration base, Duration cap, Duration spread, LongUnaryOperator randomBelow) {
        this.baseMs = base.toMillis();
        this.capMs = cap.toMillis();
        this.spreadMs = spread.toMillis();
        this.random = randomBelow;
    }

    Duration next() {
        long ceiling = attempts == 0 ? spreadMs : Math.min(capMs, baseMs << Math.min(attempts, 20));
        attempts++;
        return Duration.ofMillis(random.applyAsLong(ceiling + 1));
    }

    void reset() {
        attempts = 0;
    }
}
