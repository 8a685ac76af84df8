package com.onecard.pos.terminal.journal;

import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.JournalRow;

/**
 * The journal MAC (HMAC-SHA256 chain of {@link JournalMac}). In the daemon the key is a handle
 * into the key token and the HMAC runs there; tests and benchmarks may give the key's bytes.
 */
public final class HmacJournalSealer implements JournalSealer {
    private final JournalMac mac;
    private final String checkValue;

    /** @param key the terminal's journal key, at least 16 bytes */
    public HmacJournalSealer(byte[] key) {
        this(new javax.crypto.spec.SecretKeySpec(checkLength(key), "HmacSHA256"));
    }

    /** @param key the journal key, e.g. the token's {@code onecard-journal-mac} */
    public HmacJournalSealer(javax.crypto.SecretKey key) {
        this.mac = new JournalMac(key);
        this.checkValue = com.onecard.pos.sync.keys.KeyCheckValue.of(key);
    }

    private static byte[] checkLength(byte[] key) {
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("terminal journal key must be at least 16 bytes");
        }
        return key;
    }

    @Override
    public String keyCheckValue() {
        return checkValue;
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
