package com.onecard.pos.reader.card;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The campus card layout on MIFARE Classic 1K (docs/card-layout.md): sector 1 holds the
 * campus data. Sector keys are diversified per card from its UID with the issuer's master
 * key, so a reader that knows one card's keys knows no other's; block 5 holds a MAC over
 * UID + block 4, so a copied UID without the issuer's data is refused.
 */
public final class CampusCard {
    public static final int SECTOR = 1;
    public static final int DATA_BLOCK = 4;
    public static final int MAC_BLOCK = 5;
    public static final int TRAILER_BLOCK = 7;
    public static final int LAYOUT_VERSION = 1;
    /** Transport-configuration access bits (key A reads, key B writes the data blocks). */
    public static final byte[] ACCESS_BITS = {(byte) 0x78, (byte) 0x77, (byte) 0x88, (byte) 0x69};

    public enum Result { OK, BAD_LAYOUT, BAD_MAC }

    public record Verification(Result result, CardData data) {
    }

    private final SecretKeySpec master;

    public CampusCard(byte[] masterKey) {
        if (masterKey == null || masterKey.length < 16) {
            throw new IllegalArgumentException("issuer master key must be at least 16 bytes");
        }
        this.master = new SecretKeySpec(masterKey, "HmacSHA256");
    }

    /** Key A of the campus sector for this card: HMAC-SHA256(master, "onecard/keyA/s1" || uid)[0..6]. */
    public byte[] keyA(byte[] uid) {
        return Arrays.copyOf(hmac("onecard/keyA/s1", uid), 6);
    }

    /** Key B of the campus sector for this card (issuer writes only). */
    public byte[] keyB(byte[] uid) {
        return Arrays.copyOf(hmac("onecard/keyB/s1", uid), 6);
    }

    /** Blocks 4, 5, 6 and 7 (trailer) of a freshly issued card. */
    public byte[][] issue(byte[] uid, CardData data) {
        byte[] b4 = encode(data);
        byte[] b5 = mac(uid, b4);
        byte[] b6 = new byte[16];
        byte[] trailer = ByteBuffer.allocate(16).put(keyA(uid)).put(ACCESS_BITS).put(keyB(uid)).array();
        return new byte[][]{b4, b5, b6, trailer};
    }

    /** Checks blocks 4 and 5 (32 bytes, as in {@code CardTap.campusData}) against the card's UID. */
    public Verification verify(byte[] uid, byte[] blocks45) {
        if (blocks45 == null || blocks45.length != 32) {
            return new Verification(Result.BAD_LAYOUT, null);
        }
        byte[] b4 = Arrays.copyOfRange(blocks45, 0, 16);
        byte[] b5 = Arrays.copyOfRange(blocks45, 16, 32);
        if (!MessageDigest.isEqual(mac(uid, b4), b5)) {
            return new Verification(Result.BAD_MAC, null);
        }
        if ((b4[0] & 0xFF) != LAYOUT_VERSION) {
            return new Verification(Result.BAD_LAYOUT, null);
        }
        ByteBuffer bb = ByteBuffer.wrap(b4, 1, 10);
        long account = Integer.toUnsignedLong(bb.getInt());
        long serial = Integer.toUnsignedLong(bb.getInt());
        int expires = Short.toUnsignedInt(bb.getShort());
        return new Verification(Result.OK, new CardData(account, serial, expires));
    }

    static byte[] encode(CardData d) {
        if (d.accountId() < 0 || d.accountId() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("account id out of range: " + d.accountId());
        }
        if (d.cardSerial() < 0 || d.cardSerial() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("card serial out of range: " + d.cardSerial());
        }
        if (d.expiresDay() < 0 || d.expiresDay() > 0xFFFF) {
            throw new IllegalArgumentException("expiry day out of range: " + d.expiresDay());
        }
        return ByteBuffer.allocate(16).put((byte) LAYOUT_VERSION).putInt((int) d.accountId())
                .putInt((int) d.cardSerial()).putShort((short) d.expiresDay()).array();
    }

    private byte[] mac(byte[] uid, byte[] block4) {
        byte[] in = ByteBuffer.allocate(uid.length + 16).put(uid).put(block4).array();
        return Arrays.copyOf(hmac("onecard/mac", in), 16);
    }

    private byte[] hmac(String label, byte[] data) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(master);
            m.update(label.getBytes(StandardCharsets.US_ASCII));
            m.update(data);
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
