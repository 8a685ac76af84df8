package com.onecard.pos.center.paycode;

import com.onecard.pos.paycode.DeviceCertificate;
import com.onecard.pos.paycode.P256;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The center's payment-code issuer key (P-256): it certifies devices' public keys. Derived from
 * the app service's token secret with its own label ({@code HMAC-SHA256(secret,
 * "onecard-paycode-issuer-v1")} reduced into [1, n)), so every instance sharing the secret
 * issues under the same key without another secret file, and the key is never stored.
 * Rotating the token secret rotates this key too (terminals keep the old public key, so
 * certificates already issued work until they expire). The private key never leaves this object.
 */
public final class PaycodeIssuer {
    private static final byte[] LABEL = "onecard-paycode-issuer-v1".getBytes(StandardCharsets.US_ASCII);

    private final PrivateKey key;
    private final byte[] point;
    private final int keyId;

    private PaycodeIssuer(BigInteger d) {
        this.key = P256.privateKey(d);
        X9ECParameters curve = ECNamedCurveTable.getByName("secp256r1");
        this.point = curve.getG().multiply(d).normalize().getEncoded(false);
        this.keyId = P256.keyId(point);
    }

    /**
     * The issuer key of a token secret.
     *
     * @throws IllegalArgumentException when the secret is shorter than 32 bytes
     */
    public static PaycodeIssuer fromSecret(byte[] secret) {
        if (secret == null || secret.length < 32) {
            throw new IllegalArgumentException("the payment-code issuer key needs a token secret of at least 32 bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            BigInteger h = new BigInteger(1, mac.doFinal(LABEL));
            return new PaycodeIssuer(h.mod(P256.order().subtract(BigInteger.ONE)).add(BigInteger.ONE));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The 65-byte public point terminals verify certificates with. */
    public byte[] point() {
        return point.clone();
    }

    public int keyId() {
        return keyId;
    }

    public PublicKey publicKey() {
        return P256.publicKey(point);
    }

    DeviceCertificate certify(long serial, long accountId, long notAfterMs, PublicKey device) {
        return DeviceCertificate.issue(key, point, serial, accountId, notAfterMs, device);
    }

    @Override
    public String toString() {
        return "PaycodeIssuer[keyId=" + Integer.toHexString(keyId) + "]";
    }
}
