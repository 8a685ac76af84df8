package com.onecard.pos.reader.keypad;

/**
 * Receives the keypad's keys. Called on the keypad's own thread: implementations post to the
 * terminal thread and return at once.
 */
public interface KeypadListener {
    /** One key the cashier pressed (or Backspace held). */
    void onKey(KeypadKey key);

    /**
     * Keys may have been lost (the kernel dropped events, or the keypad was unplugged in the
     * middle of an entry): what was typed so far cannot be trusted.
     */
    default void onEntryLost(String why) {
    }
}
