package com.onecard.pos.reader.card;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Per-card MIFARE keys of layout 2, diversified from the card's UID so that a key recovered from
 * one card opens no other: key A = HMAC-SHA256(key-A derivation key, "onecard/card/keyA/v2" ‖ UID),
 * first 6 bytes (the same key A for sectors 1 and 2). Terminals hold the derivation key in their
 * key token and compute key A there; key B (writing) is derived the same way from another key that
 * only the issuer holds.
 */
public final class CardKeys {
    static final byte[] KEY_A_LABEL = "onecard/card/keyA/v2".getBytes(StandardCharsets.US_ASCII);
    static final byte[] KEY_B_LABEL = "onecard/card/keyB/v2".getBytes(StandardCharsets.US_ASCII);

    private CardKeys() {
    }

    /** Key A of the card's campus sectors, computed with {@code derivationKey} (in memory or in a token). */
    public static byte[] keyA(SecretKey derivationKey, byte[] uid) {
        return diversify(derivationKey, KEY_A_LABEL, uid);
    }

    /**
     * A MAC engine for {@link #keyA(Mac, byte[])}, initialised once with {@code derivationKey}:
     * choosing the provider for a token's key (each installed provider tried in turn until the
     * token's takes it) costs more than the HMAC itself, on every tap of a card.
     *
     * @throws IllegalStateException no provider takes the key
     */
    public static Mac keyAEngine(SecretKey derivationKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(derivationKey);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the card key with the key-A derivation key: " + e.getMessage(), e);
        }
    }

    /**
     * Key A from an engine made by {@link #keyAEngine}; the same bytes as {@link #keyA(SecretKey, byte[])}.
     * Not thread-safe: one caller at a time per engine. The engine is ready for the next card afterwards,
     * also when the token failed midway.
     */
    public static byte[] keyA(Mac engine, byte[] uid) {
        try {
            engine.update(KEY_A_LABEL);
            return Arrays.copyOf(engine.doFinal(uid), 6);
        } catch (RuntimeException e) {
            engine.reset();
            throw e;
        }
    }

    /** Key B of the card's campus sectors: the issuer's, for writing. */
    public static byte[] keyB(SecretKey derivationKey, byte[] uid) {
        return diversify(derivationKey, KEY_B_LABEL, uid);
    }

    private static byte[] diversify(SecretKey key, byte[] label, byte[] uid) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(label);
            return Arrays.copyOf(mac.doFinal(uid), 6);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the card key with the key-A derivation key: " + e.getMessage(), e);
        }
    }
}
