package com.onecard.pos.reader.loop;

import java.time.Duration;

/**
 * Exponential backoff between reconnect attempts to a serial device, shared by the card reader
 * loop and the scanner reader: starts at {@code min}, doubles per failed attempt up to
 * {@code max}, back to {@code min} once a device opened. Not thread-safe: one owner thread.
 */
public final class ReconnectBackoff {
    private final Duration min;
    private final Duration max;
    private Duration next;

    public ReconnectBackoff(Duration min, Duration max) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, got " + min + " and " + max);
        }
        this.min = min;
        this.max = max;
        this.next = min;
    }

    /** The wait before the next attempt; each call doubles the one after it. */
    public Duration next() {
        Duration d = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        return d;
    }

    /** The device opened: the next loss waits {@code min} again. */
    public void reset() {
        next = min;
    }
}
