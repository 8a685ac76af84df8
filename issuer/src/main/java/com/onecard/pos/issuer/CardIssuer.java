package com.onecard.pos.issuer;

import com.onecard.pos.reader.card.CampusLayout;
import com.onecard.pos.reader.card.CardData;
import com.onecard.pos.reader.card.CardKeys;
import com.onecard.pos.reader.card.LegacyTicket;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes the campus sectors of a card (docs/card-layout.md). Layout 2 is what the desk issues:
 * data signed with the issuer key, sector keys diversified from the UID. Layout 1 is kept for
 * the transition only: to write test and simulator cards of the old kind, and to make the
 * tickets with which terminals read the layout-1 cards already in students' hands.
 */
public final class CardIssuer {
    private final IssuerKeys keys;

    public CardIssuer(IssuerKeys keys) {
        this.keys = keys;
    }

    /** The blocks to write, by block number (data blocks and sector trailers). */
    public record Sectors(Map<Integer, byte[]> blocks) {
        public Sectors {
            Map<Integer, byte[]> copy = new TreeMap<>();
            blocks.forEach((k, v) -> copy.put(k, v.clone()));
            blocks = java.util.Collections.unmodifiableMap(copy);
        }
    }

    /**
     * A layout-2 card: block 4 (data), the issuer's ECDSA P-256 signature over UID and block 4 in
     * blocks 5, 6, 8 and 9, zeros in block 10, and both sector trailers (key A, access bits, key B).
     *
     * @param issued the issue day written in block 4
     */
    public Sectors issue(byte[] uid, CardData data, LocalDate issued) {
        byte[] b4 = CampusLayout.encodeV2(data, (int) issued.toEpochDay(), keys.keyId());
        byte[] sig = sign(uid, b4);
        byte[] keyA = CardKeys.keyA(keys.keyADerivation(), uid);
        byte[] keyB = CardKeys.keyB(keys.keyBDerivation(), uid);
        byte[] trailer = ByteBuffer.allocate(16).put(keyA).put(CampusLayout.ACCESS_BITS).put(keyB).array();
        Map<Integer, byte[]> m = new TreeMap<>();
        m.put(4, b4);
        int[] sigBlocks = CampusLayout.V2_SIGNATURE_BLOCKS;
        for (int i = 0; i < sigBlocks.length; i++) {
            m.put(sigBlocks[i], Arrays.copyOfRange(sig, 16 * i, 16 * i + 16));
        }
        m.put(7, trailer);
        m.put(10, new byte[16]);
        m.put(11, trailer);
        return new Sectors(m);
    }

    /** The issuer's signature (r ‖ s, 64 bytes) over UID and block 4. */
    byte[] sign(byte[] uid, byte[] block4) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(keys.signingKey());
            s.update(CampusLayout.signedMessage(uid, block4));
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDSA P-256 signing unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * A layout-1 card as cards were issued before layout 2: block 4, block 5 = HMAC under the
     * master key, block 6 zero, the trailer with master-derived keys.
     */
    public Sectors issueLayout1(byte[] uid, CardData data) {
        byte[] b4 = CampusLayout.encodeV1(data);
        byte[] b5 = Arrays.copyOf(masterHmac("onecard/mac", concat(uid, b4)), 16);
        byte[] trailer = ByteBuffer.allocate(16).put(layout1KeyA(uid)).put(CampusLayout.ACCESS_BITS)
                .put(Arrays.copyOf(masterHmac("onecard/keyB/s1", uid), 6)).array();
        Map<Integer, byte[]> m = new TreeMap<>();
        m.put(4, b4);
        m.put(5, b5);
        m.put(6, new byte[16]);
        m.put(7, trailer);
        return new Sectors(m);
    }

    /** The ticket with which terminals read and check a layout-1 card this desk issued. */
    public LegacyTicket ticket(byte[] uid, CardData data) {
        Sectors s = issueLayout1(uid, data);
        byte[] b45 = concat(s.blocks().get(4), s.blocks().get(5));
        return new LegacyTicket(layout1KeyA(uid), LegacyTicket.digest(uid, b45));
    }

    private byte[] layout1KeyA(byte[] uid) {
        return Arrays.copyOf(masterHmac("onecard/keyA/s1", uid), 6);
    }

    private byte[] masterHmac(String label, byte[] data) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(keys.master(), "HmacSHA256"));
            m.update(label.getBytes(StandardCharsets.US_ASCII));
            return m.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
