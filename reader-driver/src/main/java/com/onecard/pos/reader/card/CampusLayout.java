package com.onecard.pos.reader.card;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Where the campus application lives on a MIFARE Classic 1K card and how its data block is
 * laid out, for both layouts (docs/card-layout.md is the contract; this class and that page
 * must agree).
 *
 * <ul>
 *   <li>Layout 2: sector 1 holds the data (block 4) and the first half of the issuer's ECDSA
 *       P-256 signature (r in blocks 5 and 6); sector 2 holds its second half (s in blocks 8
 *       and 9). The signature covers the UID and block 4.</li>
 *   <li>Layout 1 (retired, accepted until the campus's cut-over date): sector 1, block 4 data,
 *       block 5 an HMAC under the issuer's master key, which terminals no longer hold.</li>
 * </ul>
 */
public final class CampusLayout {
    public static final int V1 = 1;
    public static final int V2 = 2;
    public static final int DATA_BLOCK = 4;
    /** Layout 1: the MAC block. */
    public static final int V1_MAC_BLOCK = 5;
    /** Layout 2: the signature's 64 bytes (r then s, 32 bytes each), in this order. */
    public static final int[] V2_SIGNATURE_BLOCKS = {5, 6, 8, 9};
    /** First block of sector 2 (authenticate here for blocks 8-10). */
    public static final int SECTOR2_BLOCK = 8;
    public static final int SIGNATURE_BYTES = 64;
    /** Transport-configuration access bits: key A reads, key B writes the data blocks. */
    public static final byte[] ACCESS_BITS = {(byte) 0x78, (byte) 0x77, (byte) 0x88, (byte) 0x69};

    private static final byte[] SIGNED_PREFIX = "onecard/card/v2".getBytes(StandardCharsets.US_ASCII);

    private CampusLayout() {
    }

    /**
     * Block 4 of a layout-2 card: version 02, account id u32, card counter u32, expiry epoch day
     * u16 (0 = never), issue epoch day u16, issuer key id u8, two zero bytes. Big-endian.
     *
     * @throws IllegalArgumentException naming the field out of range
     */
    public static byte[] encodeV2(CardData d, int issuedDay, int issuerKeyId) {
        check(d);
        if (issuedDay < 0 || issuedDay > 0xFFFF) {
            throw new IllegalArgumentException("issue day out of range: " + issuedDay);
        }
        if (issuerKeyId < 0 || issuerKeyId > 0xFF) {
            throw new IllegalArgumentException("issuer key id out of range: " + issuerKeyId);
        }
        return ByteBuffer.allocate(16).put((byte) V2).putInt((int) d.accountId()).putInt((int) d.cardSerial())
                .putShort((short) d.expiresDay()).putShort((short) issuedDay).put((byte) issuerKeyId).array();
    }

    /** Block 4 of a layout-1 card: version 01, account u32, serial u32, expiry day u16, five zero bytes. */
    public static byte[] encodeV1(CardData d) {
        check(d);
        return ByteBuffer.allocate(16).put((byte) V1).putInt((int) d.accountId())
                .putInt((int) d.cardSerial()).putShort((short) d.expiresDay()).array();
    }

    private static void check(CardData d) {
        if (d.accountId() < 0 || d.accountId() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("account id out of range: " + d.accountId());
        }
        if (d.cardSerial() < 0 || d.cardSerial() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("card counter out of range: " + d.cardSerial());
        }
        if (d.expiresDay() < 0 || d.expiresDay() > 0xFFFF) {
            throw new IllegalArgumentException("expiry day out of range: " + d.expiresDay());
        }
    }

    /** The layout version in block 4. */
    public static int version(byte[] block4) {
        return block4[0] & 0xFF;
    }

    /** Account, counter and expiry of a block 4 of either layout. */
    public static CardData decode(byte[] block4) {
        ByteBuffer bb = ByteBuffer.wrap(block4, 1, 10);
        long account = Integer.toUnsignedLong(bb.getInt());
        long serial = Integer.toUnsignedLong(bb.getInt());
        int expires = Short.toUnsignedInt(bb.getShort());
        return new CardData(account, serial, expires);
    }

    /** Layout 2: the issuer key id of block 4. */
    public static int issuerKeyId(byte[] block4) {
        return block4[13] & 0xFF;
    }

    /** What the issuer signs: "onecard/card/v2" ‖ UID length ‖ UID ‖ block 4. */
    public static byte[] signedMessage(byte[] uid, byte[] block4) {
        return ByteBuffer.allocate(SIGNED_PREFIX.length + 1 + uid.length + 16).put(SIGNED_PREFIX).put((byte) uid.length)
                .put(uid).put(block4, 0, 16).array();
    }
}
