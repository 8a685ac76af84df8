package com.onecard.pos.terminal.journal;

import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.keys.KeyCheckValue;
import com.onecard.pos.sync.proto.JournalRow;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The journal MAC (HMAC-SHA256 chain of {@link JournalMac}). In the daemon the key is a handle
 * into the key token and every HMAC runs there; tests and benchmarks may give the key's bytes.
 */
public final class HmacJournalSealer implements JournalSealer {
    private final JournalMac mac;
    private final SecretKey key;
    private final String checkValue;

    /** @param key the terminal's journal key, at least 16 bytes */
    public HmacJournalSealer(byte[] key) {
        this(new SecretKeySpec(checkLength(key), "HmacSHA256"));
    }

    /** @param key the journal key, e.g. the token's {@code onecard-journal-mac} */
    public HmacJournalSealer(SecretKey key) {
        this.mac = new JournalMac(key);
        this.key = key;
        this.checkValue = KeyCheckValue.of(key);
    }

    private static byte[] checkLength(byte[] key) {
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("terminal journal key must be at least 16 bytes");
        }
        return key;
    }

    @Override
    public JournalRow seal(byte[] prevMac, JournalRow row) {
        return mac.seal(prevMac, row);
    }

    @Override
    public boolean verifies(byte[] prevMac, JournalRow row) {
        return mac.verify(prevMac, row);
    }

    @Override
    public byte[] checkpointTag(long seq, byte[] rowMac) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            // row MACs cover a 4-byte length then "v1|...": this text cannot be mistaken for one
            return m.doFinal(("journal-checkpoint-v1|" + seq + "|" + HexFormat.of().formatHex(rowMac))
                    .getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 with the journal key is not available: " + e.getMessage(), e);
        }
    }

    @Override
    public String keyCheckValue() {
        return checkValue;
    }
}
