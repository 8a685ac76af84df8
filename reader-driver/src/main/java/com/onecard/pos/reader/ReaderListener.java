package com.onecard.pos.reader;

/**
 * Receives reader events. Called on the reader's own thread: implementations post the event
 * to the terminal thread and return at once.
 */
public interface ReaderListener {
    /** A card arrived on the reader. Exactly once per presentation. */
    void onTap(CardTap tap);

    /** The card with this UID left the reader. */
    default void onRemoved(byte[] uid) {
    }

    /**
     * A new card answered and its sectors are being read now; its {@link #onTap} follows (with the
     * read's outcome, even a failed one) unless the reader fails meanwhile. Called on the reader
     * thread: hand it over and return.
     */
    default void onCardSeen(byte[] uid) {
    }

    /** The reader's state changed (ok / degraded / disconnected). */
    default void onStatus(ReaderStatus status) {
    }
}
