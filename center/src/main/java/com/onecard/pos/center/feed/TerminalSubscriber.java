package com.onecard.pos.center.feed;

import com.onecard.pos.sync.proto.Downstream;

import java.util.List;

/**
 * A connected terminal listening to the streams. {@link #push} and {@link #pushAccounts} are
 * called from the feed's one thread in commit order per stream; implementations only enqueue
 * (never block).
 */
public interface TerminalSubscriber {
    String terminalId();

    /** The campus whose accounts this terminal serves, or null for every campus. */
    default String campus() {
        return null;
    }

    /** The newest health report this terminal sent on this session (Heartbeat field 3), or null if none yet. */
    default com.onecard.pos.sync.TerminalHealth health() {
        return null;
    }

    /** A change of a stream other than "accounts". */
    void push(Downstream change);

    /**
     * Account changes in version order, shared by every subscriber (so never modified) and encoded
     * once for all of them, each to carry {@code appliedSeq}: this terminal's watermark that their
     * purses include. A subscriber may skip an account's older versions when a newer one comes
     * before it could send them.
     */
    default void pushAccounts(List<EncodedAccountUpdate> updates, long appliedSeq) {
        for (EncodedAccountUpdate u : updates) {
            push(u.downstream(appliedSeq));
        }
    }

    /** The terminal was re-seated or revoked elsewhere: end the session so it is welcomed afresh. */
    default void disconnect(String why) {
    }
}
