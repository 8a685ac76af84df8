package com.onecard.pos.sync.keys;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;

/**
 * HKDF with HMAC-SHA256, RFC 5869 (extract, then expand): one secret gives several keys, one per
 * purpose, none of which reveals the secret or another. Test vectors: RFC 5869 appendix A.
 */
public final class Hkdf {
    private static final int HASH_BYTES = 32;

    private Hkdf() {
    }

    /**
     * @param ikm    input keying material (the secret)
     * @param salt   non-secret salt; empty means HashLen zero bytes (RFC 5869 §2.2)
     * @param info   what the key is for
     * @param length bytes of output, at most 255 × 32
     */
    public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_BYTES) {
            throw new IllegalArgumentException("HKDF-SHA256 output must be 1 to " + 255 * HASH_BYTES + " bytes, got " + length);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt.length == 0 ? new byte[HASH_BYTES] : salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            ByteArrayOutputStream okm = new ByteArrayOutputStream(length + HASH_BYTES);
            byte[] t = new byte[0];
            for (int i = 1; okm.size() < length; i++) {
                mac.update(t);
                mac.update(info);
                mac.update((byte) i);
                t = mac.doFinal();
                okm.writeBytes(t);
            }
            return java.util.Arrays.copyOf(okm.toByteArray(), length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
