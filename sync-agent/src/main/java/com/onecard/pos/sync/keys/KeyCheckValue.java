package com.onecard.pos.sync.keys;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * A key check value: the first 3 bytes of HMAC-SHA256(key, "onecard/kcv/v1"), as 6 hex digits.
 * It tells which key is in use without revealing it (the same idea as a payment HSM's KCV, here
 * for HMAC keys), so a wrong key is reported as a wrong key, not as tampered data. Works on a key
 * that stays in a PKCS#11 token.
 */
public final class KeyCheckValue {
    private static final byte[] INPUT = "onecard/kcv/v1".getBytes(StandardCharsets.US_ASCII);

    private KeyCheckValue() {
    }

    public static String of(SecretKey key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(INPUT), 0, 3);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute the check value of the key: " + e.getMessage(), e);
        }
    }

    public static String of(byte[] key) {
        return of(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
    }
}
