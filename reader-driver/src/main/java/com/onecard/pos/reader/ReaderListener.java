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

    /** The reader's state changed (ok / degraded / disconnected). */
    default void onStatus(ReaderStatus status) {
    }
}
