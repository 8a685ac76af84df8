package com.onecard.pos.paycode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * A payment code (支付码) as the student's phone shows it and the window's scanner reads it.
 * Text form: {@value #PREFIX} followed by the base64url (no padding) of {@value #BYTES} bytes,
 * big-endian (docs/paycode.md):
 *
 * <pre>
 *    0   1  version (1)
 *    1 158  the device certificate ({@link DeviceCertificate})
 *  159   4  timeStep: center time in epoch ms / 30,000 (the phone's clock corrected by its offset)
 *  163   2  counter: codes shown by the device in this time step, from 0
 *  165  64  signature: ECDSA P-256 SHA-256, r || s, by the device key over
 *           "onecard-paycode-v1" || bytes 0..164
 * </pre>
 *
 * The code names no amount: the terminal charges what the cashier keyed, within the account's
 * offline caps. It is a bearer credential for its short lifetime: never logged, never shown whole.
 */
public record Paycode(DeviceCertificate certificate, long timeStep, int counter, byte[] signature) {
    public static final String PREFIX = "OCP1";
    public static final int VERSION = 1;
    public static final long STEP_MS = 30_000;
    public static final int SIGNED_BYTES = 1 + DeviceCertificate.BYTES + 4 + 2;
    public static final int BYTES = SIGNED_BYTES + P256.SIGNATURE_BYTES;
    /** Length of the text form. */
    public static final int TEXT_LENGTH = PREFIX.length() + (BYTES * 8 + 5) / 6;
    static final byte[] DOMAIN = "onecard-paycode-v1".getBytes(StandardCharsets.US_ASCII);

    public Paycode {
        signature = signature.clone();
        if (timeStep < 0 || timeStep > 0xFFFF_FFFFL || counter < 0 || counter > 0xFFFF) {
            throw new IllegalArgumentException("time step must fit 32 bits and counter 16 bits");
        }
    }

    /** The device's side: signs a code for {@code timeStep} and {@code counter} with the device key. */
    public static Paycode sign(DeviceCertificate cert, PrivateKey deviceKey, long timeStep, int counter) {
        Paycode unsigned = new Paycode(cert, timeStep, counter, new byte[P256.SIGNATURE_BYTES]);
        return new Paycode(cert, timeStep, counter, P256.sign(deviceKey, unsigned.signedData()));
    }

    /** The time step a center time falls in. */
    public static long stepOf(long centerTimeMs) {
        return Math.floorDiv(centerTimeMs, STEP_MS);
    }

    /** Domain label and bytes 0..164: what the device key signs. */
    byte[] signedData() {
        byte[] body = ByteBuffer.allocate(SIGNED_BYTES).put((byte) VERSION).put(certificate.encode())
                .putInt((int) timeStep).putShort((short) counter).array();
        byte[] out = Arrays.copyOf(DOMAIN, DOMAIN.length + body.length);
        System.arraycopy(body, 0, out, DOMAIN.length, body.length);
        return out;
    }

    /** True when {@code deviceKey} signed this code (the certificate is checked separately). */
    public boolean signedBy(java.security.PublicKey deviceKey) {
        return P256.verify(deviceKey, signedData(), signature);
    }

    public byte[] encode() {
        return ByteBuffer.allocate(BYTES).put((byte) VERSION).put(certificate.encode()).putInt((int) timeStep)
                .putShort((short) counter).put(signature).array();
    }

    /** The text the phone renders as a QR code. */
    public String text() {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(encode());
    }

    /** True when the text starts like a payment code (so a scanned barcode of something else is told apart). */
    public static boolean looksLikePaycode(String text) {
        return text != null && text.startsWith(PREFIX);
    }

    /**
     * Reads a payment code's text. Only the canonical encoding is accepted (one text per code,
     * so the replay cache cannot be walked around by re-encoding).
     *
     * @throws PaycodeFormatException naming the field that is wrong
     */
    public static Paycode parse(String text) throws PaycodeFormatException {
        if (!looksLikePaycode(text)) {
            throw new PaycodeFormatException("does not start with " + PREFIX, "prefix", 0);
        }
        if (text.length() != TEXT_LENGTH) {
            throw new PaycodeFormatException("is " + text.length() + " characters, a payment code is " + TEXT_LENGTH,
                    "length", 0);
        }
        String body = text.substring(PREFIX.length());
        byte[] b;
        try {
            b = Base64.getUrlDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new PaycodeFormatException("is not base64url: " + e.getMessage(), "encoding", 0);
        }
        if (b.length != BYTES || !Base64.getUrlEncoder().withoutPadding().encodeToString(b).equals(body)) {
            throw new PaycodeFormatException("is not the canonical base64url of " + BYTES + " bytes", "encoding", 0);
        }
        int version = b[0] & 0xff;
        if (version != VERSION) {
            throw new PaycodeFormatException("version " + version + " is not " + VERSION, "version", 0);
        }
        DeviceCertificate cert = DeviceCertificate.decode(b, 1);
        ByteBuffer in = ByteBuffer.wrap(b, 1 + DeviceCertificate.BYTES, 6 + P256.SIGNATURE_BYTES);
        long step = in.getInt() & 0xFFFF_FFFFL;
        int counter = in.getShort() & 0xFFFF;
        byte[] sig = new byte[P256.SIGNATURE_BYTES];
        in.get(sig);
        return new Paycode(cert, step, counter, sig);
    }

    /** {@link #parse} for text known to be a payment code (tests, vectors). */
    public static Paycode parseUnchecked(String text) {
        try {
            return parse(text);
        } catch (PaycodeFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Start of the code's time step, epoch ms center time. */
    public long stepStartMs() {
        return timeStep * STEP_MS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Paycode p && Arrays.equals(encode(), p.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    /** Never the code itself (a bearer credential): who and when only. */
    @Override
    public String toString() {
        return "Paycode[serial=" + certificate.serial() + ", account=" + certificate.accountId() + ", step=" + timeStep
                + ", counter=" + counter + "]";
    }
}
