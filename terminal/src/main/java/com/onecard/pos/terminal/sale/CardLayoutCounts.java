package com.onecard.pos.terminal.sale;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Layout-1 cards seen since the daemon started, for {@code posctl status}: how many taps were
 * accepted before the cut-over date, by how many distinct cards, and how many were refused after
 * it. The card office reads it to see how many students still carry an old card.
 */
public final class CardLayoutCounts {
    /** Distinct cards remembered; beyond it only the tap counts grow. */
    static final int MAX_DISTINCT = 50_000;

    private final AtomicLong v1Accepted = new AtomicLong();
    private final AtomicLong v1Refused = new AtomicLong();
    private final Set<ByteBuffer> v1Cards = new HashSet<>();

    void acceptedV1(byte[] uid) {
        v1Accepted.incrementAndGet();
        synchronized (v1Cards) {
            if (v1Cards.size() < MAX_DISTINCT) {
                v1Cards.add(ByteBuffer.wrap(uid.clone()));
            }
        }
    }

    void refusedV1() {
        v1Refused.incrementAndGet();
    }

    public long v1Accepted() {
        return v1Accepted.get();
    }

    public long v1Refused() {
        return v1Refused.get();
    }

    public int v1DistinctCards() {
        synchronized (v1Cards) {
            return v1Cards.size();
        }
    }
}
