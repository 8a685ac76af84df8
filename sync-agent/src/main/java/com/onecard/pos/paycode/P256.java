package com.onecard.pos.paycode;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;

/**
 * ECDSA on P-256 (secp256r1) with SHA-256, through the JDK's providers: public keys as 65-byte
 * uncompressed SEC1 points ({@code 04 || X || Y}), signatures as 64-byte {@code r || s}
 * (IEEE P1363), so every field of a payment code has a fixed length.
 */
public final class P256 {
    public static final int POINT_BYTES = 65;
    public static final int SIGNATURE_BYTES = 64;
    private static final ECParameterSpec PARAMS = params();

    private P256() {
    }

    private static ECParameterSpec params() {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no P-256 curve", e);
        }
    }

    /** A new key pair (a device's, or a test issuer's). */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a P-256 key pair", e);
        }
    }

    /** The 65-byte uncompressed point of a P-256 public key. */
    public static byte[] point(PublicKey key) {
        if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException("not a P-256 public key: " + key.getAlgorithm());
        }
        byte[] out = new byte[POINT_BYTES];
        out[0] = 4;
        copy32(ec.getW().getAffineX(), out, 1);
        copy32(ec.getW().getAffineY(), out, 33);
        return out;
    }

    /**
     * The public key of a 65-byte uncompressed point.
     *
     * @throws IllegalArgumentException when the bytes are not a point on P-256
     */
    public static ECPublicKey publicKey(byte[] point) {
        if (point == null || point.length != POINT_BYTES || point[0] != 4) {
            throw new IllegalArgumentException("a P-256 public key is 65 bytes starting 04");
        }
        BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(point, 1, 33));
        BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(point, 33, 65));
        if (!onCurve(x, y)) {
            throw new IllegalArgumentException("the public key is not a point on P-256");
        }
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), PARAMS));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the public key is not a P-256 point: " + e.getMessage(), e);
        }
    }

    /**
     * The private key of scalar {@code d} (1 ≤ d < n).
     *
     * @throws IllegalArgumentException when d is out of range
     */
    public static PrivateKey privateKey(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(PARAMS.getOrder()) >= 0) {
            throw new IllegalArgumentException("a P-256 private scalar is in [1, n)");
        }
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new java.security.spec.ECPrivateKeySpec(d, PARAMS));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a P-256 private key", e);
        }
    }

    /** The curve order n. */
    public static BigInteger order() {
        return PARAMS.getOrder();
    }

    /** y² = x³ + ax + b (mod p), with x and y inside the field. */
    private static boolean onCurve(BigInteger x, BigInteger y) {
        BigInteger p = ((java.security.spec.ECFieldFp) PARAMS.getCurve().getField()).getP();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger lhs = y.multiply(y).mod(p);
        BigInteger rhs = x.pow(3).add(PARAMS.getCurve().getA().multiply(x)).add(PARAMS.getCurve().getB()).mod(p);
        return lhs.equals(rhs);
    }

    /** The 64-byte {@code r || s} signature of {@code data}. */
    public static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDSA P-256 signing failed: " + e.getMessage(), e);
        }
    }

    /** True when {@code signature} (64 bytes, {@code r || s}) is {@code key}'s over {@code data}. */
    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDSA P-256 verification unavailable: " + e.getMessage(), e);
        }
    }

    /** The 4-byte id of an issuer key: the first four bytes of SHA-256 of its point, as an int. */
    public static int keyId(byte[] point) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(point);
            return java.nio.ByteBuffer.wrap(h, 0, 4).getInt();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static void copy32(BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, at + 32 - n, n);
    }
}
