package com.onecard.pos.center.topup;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The encrypted resource of a WeChat Pay v3 notification: AEAD_AES_256_GCM under the merchant's
 * 32-byte API v3 key, a 12-character nonce, associated data, base64 ciphertext with its 16-byte tag.
 */
public final class WechatResource {
    private WechatResource() {
    }

    public static String decrypt(byte[] apiV3Key, String nonce, String associatedData, String ciphertextBase64)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(apiV3Key, "AES"),
                new GCMParameterSpec(128, nonce.getBytes(StandardCharsets.UTF_8)));
        if (associatedData != null) {
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        }
        return new String(c.doFinal(Base64.getDecoder().decode(ciphertextBase64)), StandardCharsets.UTF_8);
    }

    public static String encrypt(byte[] apiV3Key, String nonce, String associatedData, String plaintext)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(apiV3Key, "AES"),
                new GCMParameterSpec(128, nonce.getBytes(StandardCharsets.UTF_8)));
        if (associatedData != null) {
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        }
        return Base64.getEncoder().encodeToString(c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
    }
}
