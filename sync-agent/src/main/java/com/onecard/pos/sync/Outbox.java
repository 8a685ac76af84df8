package com.onecard.pos.sync;

import com.onecard.pos.sync.proto.JournalRow;

import java.util.List;

/**
 * The terminal's journal seen as an outbox. Implemented by the terminal's store.
 * Reads may be called from any thread (they use their own read connection); writes are
 * posted to the terminal thread and happen later.
 */
public interface Outbox {
    /** Rows with seq greater than {@code afterSeq}, in sequence order, at most {@code max}. */
    List<JournalRow> rowsAfter(long afterSeq, int max);

    /** The center has durably applied every row up to and including {@code seq}. Never blocks. */
    void acknowledged(long seq);

    /**
     * The center refused an upload (a gap or a bad MAC: the journal and the center disagree).
     * Nothing is skipped: the client reconnects and resends from the center's watermark. Never blocks.
     */
    default void uploadRefused(com.onecard.pos.sync.proto.UploadError error) {
    }

    /**
     * The center stored and acknowledged these rows but refused to apply them (a reversal that
     * names no matching sale, a row kind it does not know); the card office sees them too. The
     * outbox moves on: they are acknowledged like every other row. Never blocks.
     */
    default void rowsRefused(java.util.List<com.onecard.pos.sync.proto.RefusedRow> refused) {
    }

    /** Highest sequence known to be acknowledged by the center. */
    long lastAcknowledged();
}
