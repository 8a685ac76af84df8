package com.onecard.pos.terminal.app;

import com.onecard.pos.reader.keypad.KeypadKey;
import com.onecard.pos.reader.keypad.KeypadListener;

/** The sale's entry from the window's keypad: each key goes to the entry on the terminal thread. Keypad thread. */
final class KeypadEvents implements KeypadListener {
    private final TerminalLoop loop;
    private final KeypadEntry entry;

    KeypadEvents(TerminalLoop loop, KeypadEntry entry) {
        this.loop = loop;
        this.entry = entry;
    }

    @Override
    public void onKey(KeypadKey key) {
        loop.execute(() -> entry.onKey(key));
    }

    @Override
    public void onEntryLost(String why) {
        loop.execute(() -> entry.onEntryLost(why));
    }
}
