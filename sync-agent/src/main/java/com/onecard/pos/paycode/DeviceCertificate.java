package com.onecard.pos.paycode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * The card center's statement that a device's P-256 public key may sign payment codes of one
 * account until {@code notAfterMs}. Fixed layout, big-endian, {@value #BYTES} bytes
 * (docs/paycode.md):
 *
 * <pre>
 *   0  1  version (1)
 *   1  4  issuerKeyId: first 4 bytes of SHA-256 of the issuer's public point
 *   5  8  serial: the center's certificate number (revocations name it)
 *  13  8  accountId
 *  21  8  notAfterMs: epoch ms, center time
 *  29 65  devicePoint: the device's public key, uncompressed SEC1 (04 || X || Y)
 *  94 64  signature: ECDSA P-256 SHA-256, r || s, by the issuer key over
 *         "onecard-paycode-cert-v1" || bytes 0..93
 * </pre>
 */
public record DeviceCertificate(int issuerKeyId, long serial, long accountId, long notAfterMs, byte[] devicePoint,
                                byte[] signature) {
    public static final int VERSION = 1;
    public static final int SIGNED_BYTES = 94;
    public static final int BYTES = SIGNED_BYTES + P256.SIGNATURE_BYTES;
    static final byte[] DOMAIN = "onecard-paycode-cert-v1".getBytes(StandardCharsets.US_ASCII);

    public DeviceCertificate {
        devicePoint = devicePoint.clone();
        signature = signature.clone();
        if (devicePoint.length != P256.POINT_BYTES || signature.length != P256.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("device point must be 65 bytes and signature 64");
        }
    }

    /**
     * Issues a certificate (the center's side): signs the fields with the issuer key.
     *
     * @param issuerPoint the issuer's public point (its id goes in the certificate)
     */
    public static DeviceCertificate issue(PrivateKey issuer, byte[] issuerPoint, long serial, long accountId,
                                          long notAfterMs, PublicKey device) {
        byte[] point = P256.point(device);
        byte[] body = body(P256.keyId(issuerPoint), serial, accountId, notAfterMs, point);
        return new DeviceCertificate(P256.keyId(issuerPoint), serial, accountId, notAfterMs, point,
                P256.sign(issuer, signedData(body)));
    }

    private static byte[] body(int keyId, long serial, long accountId, long notAfterMs, byte[] point) {
        return ByteBuffer.allocate(SIGNED_BYTES).put((byte) VERSION).putInt(keyId).putLong(serial).putLong(accountId)
                .putLong(notAfterMs).put(point).array();
    }

    static byte[] signedData(byte[] body) {
        byte[] out = Arrays.copyOf(DOMAIN, DOMAIN.length + body.length);
        System.arraycopy(body, 0, out, DOMAIN.length, body.length);
        return out;
    }

    /** The {@value #BYTES} bytes. */
    public byte[] encode() {
        byte[] body = body(issuerKeyId, serial, accountId, notAfterMs, devicePoint);
        return ByteBuffer.allocate(BYTES).put(body).put(signature).array();
    }

    /** True when the issuer key (given) signed these fields. */
    public boolean signedBy(PublicKey issuer) {
        return P256.verify(issuer, signedData(body(issuerKeyId, serial, accountId, notAfterMs, devicePoint)), signature);
    }

    /**
     * Reads a certificate at {@code offset} of {@code b}.
     *
     * @throws PaycodeFormatException naming the field when the bytes are not a certificate
     */
    public static DeviceCertificate decode(byte[] b, int offset) throws PaycodeFormatException {
        if (b.length - offset < BYTES) {
            throw new PaycodeFormatException("certificate is " + (b.length - offset) + " bytes, needs " + BYTES,
                    "certificate", offset);
        }
        ByteBuffer in = ByteBuffer.wrap(b, offset, BYTES);
        int version = in.get() & 0xff;
        if (version != VERSION) {
            throw new PaycodeFormatException("certificate version " + version + " is not " + VERSION,
                    "certificate.version", offset);
        }
        int keyId = in.getInt();
        long serial = in.getLong();
        long account = in.getLong();
        long notAfter = in.getLong();
        byte[] point = new byte[P256.POINT_BYTES];
        in.get(point);
        if (point[0] != 4) {
            throw new PaycodeFormatException("device key is not an uncompressed point (first byte "
                    + (point[0] & 0xff) + ")", "certificate.devicePoint", offset + 29);
        }
        byte[] sig = new byte[P256.SIGNATURE_BYTES];
        in.get(sig);
        return new DeviceCertificate(keyId, serial, account, notAfter, point, sig);
    }

    @Override
    public byte[] devicePoint() {
        return devicePoint.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceCertificate c && Arrays.equals(encode(), c.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "DeviceCertificate[serial=" + serial + ", account=" + accountId + ", issuer=" + Integer.toHexString(issuerKeyId)
                + ", notAfterMs=" + notAfterMs + "]";
    }
}
