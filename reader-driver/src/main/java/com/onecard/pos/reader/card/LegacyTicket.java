package com.onecard.pos.reader.card;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * What a terminal needs to read and check one layout-1 card without the issuer's master key: the
 * card's key A and a digest of its two campus blocks, both made by the issuer tool for each card
 * it issued under layout 1 and sent by the card center with the card's account. A terminal can
 * read and recognise the cards it has tickets for, and make none: the digest fixes the card's
 * content, and no ticket exists for a card the issuer did not issue.
 *
 * @param keyA   the card's sector-1 key A (6 bytes)
 * @param digest SHA-256("onecard/card/v1-ticket" ‖ UID length ‖ UID ‖ block 4 ‖ block 5), first 16 bytes
 */
public record LegacyTicket(byte[] keyA, byte[] digest) {
    public static final int BYTES = 22;
    private static final byte[] LABEL = "onecard/card/v1-ticket".getBytes(StandardCharsets.US_ASCII);

    public LegacyTicket {
        if (keyA == null || keyA.length != 6 || digest == null || digest.length != 16) {
            throw new IllegalArgumentException("a layout-1 card ticket is a 6-byte key A and a 16-byte digest");
        }
        keyA = keyA.clone();
        digest = digest.clone();
    }

    /** From its 22-byte wire form (key A ‖ digest), as the center sends it. */
    public static LegacyTicket fromBytes(byte[] b) {
        if (b == null || b.length != BYTES) {
            throw new IllegalArgumentException("a layout-1 card ticket is " + BYTES + " bytes, got " + (b == null ? 0 : b.length));
        }
        return new LegacyTicket(Arrays.copyOf(b, 6), Arrays.copyOfRange(b, 6, BYTES));
    }

    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).put(keyA).put(digest).array();
    }

    @Override
    public byte[] keyA() {
        return keyA.clone();
    }

    /** The digest of a card's blocks 4 and 5 (32 bytes) with its UID. */
    public static byte[] digest(byte[] uid, byte[] blocks45) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(LABEL);
            sha.update((byte) uid.length);
            sha.update(uid);
            sha.update(blocks45, 0, 32);
            return Arrays.copyOf(sha.digest(), 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** True when the blocks read from the card are the ones the issuer wrote. */
    public boolean matches(byte[] uid, byte[] blocks45) {
        return MessageDigest.isEqual(digest, digest(uid, blocks45));
    }

    @Override
    public String toString() {
        return "LegacyTicket[****]";
    }
}
