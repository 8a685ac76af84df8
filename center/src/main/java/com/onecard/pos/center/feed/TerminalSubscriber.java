package com.onecard.pos.center.feed;

import com.onecard.pos.sync.proto.Downstream;

/**
 * A connected terminal listening to the streams. {@link #push} is called from the feed's one
 * thread in commit order per stream; implementations only enqueue (a non-blocking write).
 */
public interface TerminalSubscriber {
    String terminalId();

    /** This terminal's watermark as this instance last committed or read it (for account updates). */
    long appliedSeq();

    void push(Downstream change);
}
