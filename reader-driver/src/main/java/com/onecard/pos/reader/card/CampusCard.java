package com.onecard.pos.reader.card;

import javax.crypto.SecretKey;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * What a terminal knows of campus cards, and all it needs to read and check them
 * (docs/card-layout.md): the key-A derivation key (a handle into the key token), the card
 * issuer's public keys, and the layout-1 tickets the card center sent. It can read a card and
 * tell whether the issuer made it; it holds nothing that makes or rewrites one.
 *
 * <p>Thread-safe: the reader thread checks a card right after reading it, the terminal thread
 * checks it again for the sale (answered from the cache of cards already verified).
 */
public final class CampusCard {
    /** Cards remembered as verified (UID + block 4 each). */
    static final int VERIFIED_CAPACITY = 8192;

    public enum Result {
        OK,
        /** Unknown layout version, or not the bytes a layout has. */
        BAD_LAYOUT,
        /** Layout 2: the issuer's signature over UID and block 4 does not verify. */
        BAD_SIGNATURE,
        /** Layout 2: signed with an issuer key this terminal does not have. */
        UNKNOWN_ISSUER_KEY,
        /** Layout 2: only block 4 was read, but this card was never verified here. */
        NOT_VERIFIED,
        /** Layout 1: the blocks are not what the issuer wrote (the ticket's digest differs). */
        BAD_MAC,
        /** Layout 1: the card center sent no ticket for this card. */
        NO_TICKET
    }

    /**
     * @param data   what the card says, or null when it cannot be trusted
     * @param layout the card's layout version (0 when unknown)
     */
    public record Verification(Result result, CardData data, int layout) {
    }

    private final SecretKey keyADerivation;
    private final Map<Integer, PublicKey> issuerKeys;
    private final LegacyTickets legacy;
    private final VerifiedCards verified = new VerifiedCards(VERIFIED_CAPACITY);
    /** Guards {@link #keyAEngine} (not {@link #verified}: the sale's check must not wait behind the token). */
    private final Object keyALock = new Object();
    /** Made on first use: the reader thread derives a key per new card. */
    private javax.crypto.Mac keyAEngine;

    /**
     * @param keyADerivation the campus's key-A derivation key (in the terminal's token)
     * @param issuerKeys     issuer public keys (EC P-256) by key id ({@link #keyId})
     * @param legacy         where layout-1 tickets are found
     */
    public CampusCard(SecretKey keyADerivation, Map<Integer, PublicKey> issuerKeys, LegacyTickets legacy) {
        this.keyADerivation = java.util.Objects.requireNonNull(keyADerivation, "key-A derivation key");
        this.issuerKeys = Map.copyOf(issuerKeys);
        this.legacy = legacy == null ? LegacyTickets.NONE : legacy;
    }

    /** The id of an issuer public key, as written in block 4: the first byte of SHA-256 of its encoding. */
    public static int keyId(PublicKey key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getEncoded())[0] & 0xFF;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Key A of a layout-2 card (computed in the token, by one MAC engine initialised once). */
    public byte[] keyA(byte[] uid) {
        synchronized (keyALock) {
            if (keyAEngine == null) {
                keyAEngine = CardKeys.keyAEngine(keyADerivation);
            }
            return CardKeys.keyA(keyAEngine, uid);
        }
    }

    /** The ticket of a layout-1 card, if the card center sent one. */
    public Optional<LegacyTicket> legacyTicket(byte[] uid) {
        return legacy.find(uid);
    }

    /** True when this UID with this block 4 passed the signature check here before: the reader may skip sector 2. */
    public boolean alreadyVerified(byte[] uid, byte[] block4) {
        return verified.contains(uid, block4);
    }

    /**
     * Checks what was read from the card: 80 bytes (layout 2: block 4, then blocks 5, 6, 8, 9),
     * 16 bytes (layout 2, block 4 alone, for a card verified before), or 32 bytes (layout 1:
     * blocks 4 and 5).
     */
    public Verification verify(byte[] uid, byte[] data) {
        if (data == null || (data.length != 16 && data.length != 32 && data.length != 16 + CampusLayout.SIGNATURE_BYTES)) {
            return new Verification(Result.BAD_LAYOUT, null, 0);
        }
        byte[] b4 = Arrays.copyOf(data, 16);
        int layout = CampusLayout.version(b4);
        if (layout == CampusLayout.V1 && data.length == 32) {
            return verifyV1(uid, data);
        }
        if (layout != CampusLayout.V2 || data.length == 32) {
            return new Verification(Result.BAD_LAYOUT, null, layout);
        }
        if (verified.contains(uid, b4)) {
            return new Verification(Result.OK, CampusLayout.decode(b4), CampusLayout.V2);
        }
        if (data.length == 16) {
            return new Verification(Result.NOT_VERIFIED, null, CampusLayout.V2);
        }
        PublicKey key = issuerKeys.get(CampusLayout.issuerKeyId(b4));
        if (key == null) {
            return new Verification(Result.UNKNOWN_ISSUER_KEY, null, CampusLayout.V2);
        }
        if (!signatureVerifies(key, uid, b4, Arrays.copyOfRange(data, 16, data.length))) {
            return new Verification(Result.BAD_SIGNATURE, null, CampusLayout.V2);
        }
        verified.add(uid, b4);
        return new Verification(Result.OK, CampusLayout.decode(b4), CampusLayout.V2);
    }

    private Verification verifyV1(byte[] uid, byte[] blocks45) {
        Optional<LegacyTicket> t = legacy.find(uid);
        if (t.isEmpty()) {
            return new Verification(Result.NO_TICKET, null, CampusLayout.V1);
        }
        if (!t.get().matches(uid, blocks45)) {
            return new Verification(Result.BAD_MAC, null, CampusLayout.V1);
        }
        return new Verification(Result.OK, CampusLayout.decode(blocks45), CampusLayout.V1);
    }

    private static boolean signatureVerifies(PublicKey key, byte[] uid, byte[] b4, byte[] signature) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initVerify(key);
            s.update(CampusLayout.signedMessage(uid, b4));
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDSA P-256 verification unavailable: " + e.getMessage(), e);
        }
    }
}
