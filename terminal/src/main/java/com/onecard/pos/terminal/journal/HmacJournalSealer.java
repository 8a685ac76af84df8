package com.onecard.pos.terminal.journal;

import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.JournalRow;

/** The journal MAC (HMAC-SHA256 chain of {@link JournalMac}) with the key held in memory. */
public final class HmacJournalSealer implements JournalSealer {
    private final JournalMac mac;

    /** @param key the terminal's journal key, at least 16 bytes */
    public HmacJournalSealer(byte[] key) {
        this.mac = new JournalMac(key);
    }

    @Override
    public JournalRow seal(byte[] prevMac, JournalRow row) {
        return mac.seal(prevMac, row);
    }

    @Override
    public boolean verifies(byte[] prevMac, JournalRow row) {
        return mac.verify(prevMac, row);
    }
}
