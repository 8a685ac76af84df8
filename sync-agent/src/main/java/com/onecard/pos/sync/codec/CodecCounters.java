package com.onecard.pos.sync.codec;

import java.util.concurrent.atomic.AtomicLong;

/** Dropped-frame counts for one endpoint (all its connections); read by status and tests. */
public final class CodecCounters {
    private final AtomicLong oversize = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();

    void oversize() { oversize.incrementAndGet(); }
    void malformed() { malformed.incrementAndGet(); }
    void truncated() { truncated.incrementAndGet(); }

    public long oversizeFrames() { return oversize.get(); }
    public long malformedFrames() { return malformed.get(); }
    public long truncatedFrames() { return truncated.get(); }

    @Override
    public String toString() {
        return "oversize=" + oversize + " malformed=" + malformed + " truncated=" + truncated;
    }
}
