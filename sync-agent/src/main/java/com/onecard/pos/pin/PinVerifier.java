package com.onecard.pos.pin;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Salted slow hash of a card password, the wire format of {@code AccountUpdate.pin_verifier}: the
 * center makes it, terminals check a PIN against it: {@code pbkdf2-sha256$iterations$salt$hash}
 * (base64). Terminals never hold the password. A package of its own, not {@code sync}: the
 * terminal's pure authorization policy checks PINs with it and must not depend on the protocol.
 */
public final class PinVerifier {
    private static final int DEFAULT_ITERATIONS = 20_000;

    private PinVerifier() {
    }

    public static String create(String pin, SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return encode(DEFAULT_ITERATIONS, salt, hash(pin, salt, DEFAULT_ITERATIONS));
    }

    public static boolean matches(String verifier, String pin) {
        String[] p = verifier.split("\\$");
        if (p.length != 4 || !p[0].equals("pbkdf2-sha256")) {
            return false;
        }
        int iterations = Integer.parseInt(p[1]);
        byte[] salt = Base64.getDecoder().decode(p[2]);
        byte[] expected = Base64.getDecoder().decode(p[3]);
        return MessageDigest.isEqual(expected, hash(pin, salt, iterations));
    }

    private static String encode(int iterations, byte[] salt, byte[] hash) {
        return "pbkdf2-sha256$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(hash);
    }

    private static byte[] hash(String pin, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(pin.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }
}
