package com.onecard.pos.qr;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MAC of a campus QR: HMAC-SHA256(terminal's QR key, "onecard/qr" || canonical fields),
 * truncated to 10 bytes and written as 20 uppercase hex digits. Each field is length-prefixed
 * so no two different sales share a MAC input.
 */
final class CampusMac {
    static final int MAC_BYTES = 10;
    private static final byte[] DOMAIN = "onecard/qr".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private CampusMac() {
    }

    /** The key's bytes as a MAC key; at least 16 of them. */
    static SecretKey key(byte[] key) {
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("terminal key must be at least 16 bytes");
        }
        return new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * @param key a key in memory or a key object that stays in a PKCS#11 token (the JCE picks the
     *            provider that takes it)
     */
    static String compute(SecretKey key, String terminalId, String canteenId, String saleId, long amountFen,
                          String token, long expiryEpochSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(DOMAIN);
            byte[] full = mac.doFinal(canonical(terminalId, canteenId, saleId, amountFen, token, expiryEpochSeconds));
            return HEX.formatHex(full, 0, MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 with the terminal's QR key is not available: " + e.getMessage(), e);
        }
    }

    /** Constant-time comparison, so response timing does not leak how much of a forged MAC matched. */
    static boolean matches(String expected, String found) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                found.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] canonical(String terminalId, String canteenId, String saleId, long amountFen,
                                    String token, long expiry) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            field(out, terminalId);
            field(out, canteenId);
            field(out, saleId);
            out.writeLong(amountFen);
            field(out, token);
            out.writeLong(expiry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void field(DataOutputStream out, String value) throws IOException {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
