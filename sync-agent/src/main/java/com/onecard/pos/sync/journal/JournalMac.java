package com.onecard.pos.sync.journal;

import com.onecard.pos.sync.proto.JournalRow;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The journal's MAC chain: mac(n) = HMAC-SHA256(key, mac(n-1) || canonical(row n)).
 * The terminal computes it when it appends a row; the center recomputes it on ingest, so a
 * removed, reordered or edited row is detected. The canonical form is spelled out field by
 * field (not protobuf bytes) so that schema additions never change old MACs.
 *
 * <p>The key may be a key object of a PKCS#11 token (SunPKCS11, registered as a security
 * provider) that never leaves it: the HMAC then runs in the token, the JCE choosing the provider
 * that takes the key. Thread-safe.
 */
public final class JournalMac {
    public static final int MAC_BYTES = 32;
    private static final byte[] GENESIS = new byte[MAC_BYTES];

    private final SecretKey key;
    private final ThreadLocal<Mac> macs;

    /** With the key's bytes in memory (the center's side, tests). */
    public JournalMac(byte[] terminalKey) {
        this(memoryKey(terminalKey));
    }

    /** With a key object, e.g. one that stays inside a PKCS#11 token. */
    public JournalMac(SecretKey key) {
        this.key = java.util.Objects.requireNonNull(key, "journal MAC key");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private static SecretKey memoryKey(byte[] terminalKey) {
        if (terminalKey == null || terminalKey.length < 16) {
            throw new IllegalArgumentException("terminal journal key must be at least 16 bytes");
        }
        return new SecretKeySpec(terminalKey, "HmacSHA256");
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 with the journal key is not available: " + e.getMessage(), e);
        }
    }

    public static byte[] genesis() {
        return GENESIS.clone();
    }

    /** The MAC of {@code row}, chained to {@code prevMac}; the row's own mac fields are ignored. */
    public byte[] compute(byte[] prevMac, JournalRow row) {
        Mac mac = macs.get();
        mac.update(prevMac);
        mac.update(canonical(row));
        return mac.doFinal();
    }

    /** Sets prev_mac and mac on {@code row}. */
    public JournalRow seal(byte[] prevMac, JournalRow row) {
        byte[] m = compute(prevMac, row);
        return row.toBuilder()
                .setPrevMac(com.google.protobuf.ByteString.copyFrom(prevMac))
                .setMac(com.google.protobuf.ByteString.copyFrom(m))
                .build();
    }

    /** True when the row's mac is right for the given predecessor mac. */
    public boolean verify(byte[] prevMac, JournalRow row) {
        return java.security.MessageDigest.isEqual(compute(prevMac, row), row.getMac().toByteArray())
                && java.security.MessageDigest.isEqual(prevMac, row.getPrevMac().toByteArray());
    }

    static byte[] canonical(JournalRow r) {
        String text = "v1|" + r.getSeq() + '|' + r.getKindValue() + '|' + r.getSaleId() + '|' + r.getTimeMs()
                + '|' + HexFormat.of().formatHex(r.getCardUid().toByteArray()) + '|' + r.getAccountId()
                + '|' + r.getAmountFen() + '|' + r.getSubsidyFen() + '|' + r.getCashFen()
                + '|' + r.getModeValue() + '|' + r.getReversesSeq() + '|' + r.getQrToken() + '|' + r.getMealPeriod();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).array();
    }
}
