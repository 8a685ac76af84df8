package com.onecard.pos.terminal.journal;

import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.JournalRow;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/** The journal MAC (HMAC-SHA256 chain of {@link JournalMac}) with the key held in memory. */
public final class HmacJournalSealer implements JournalSealer {
    private final JournalMac mac;
    private final SecretKeySpec key;

    /** @param key the terminal's journal key, at least 16 bytes */
    public HmacJournalSealer(byte[] key) {
        this.mac = new JournalMac(key);
        this.key = new SecretKeySpec(key, "HmacSHA256");
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
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
