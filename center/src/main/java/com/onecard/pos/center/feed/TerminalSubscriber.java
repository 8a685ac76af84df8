package com.onecard.pos.center.feed;

import com.onecard.pos.sync.proto.Downstream;

/**
 * A connected terminal listening to the streams. {@link #push} is called from the feed's one
 * thread in commit order per stream; implementations only enqueue (never block).
 */
public interface TerminalSubscriber {
    String terminalId();

    /** This terminal's watermark as this instance last committed or read it (for account updates). */
    long appliedSeq();

    /**
     * This terminal's watermark moved to {@code seq} in the commit being pushed now (its upload
     * committed, on whichever instance): later account pushes carry it. Never lowers it.
     */
    default void advanceApplied(long seq) {
    }

    /** The campus whose accounts this terminal serves, or null for every campus. */
    default String campus() {
        return null;
    }

    void push(Downstream change);

    /** The terminal was re-seated or revoked elsewhere: end the session so it is welcomed afresh. */
    default void disconnect(String why) {
    }
}
