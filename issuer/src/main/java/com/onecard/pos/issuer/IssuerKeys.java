package com.onecard.pos.issuer;

import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.sync.keys.Hkdf;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The card issuer's keys, kept at the issuer's desk only (docs/card-layout.md, "Keys"):
 *
 * <pre>
 * DIR/card-master.key      32 random bytes, hex (0600): the campus card master key. Layout 1
 *                          derived every card's keys and MAC from it directly; layout 2 derives
 *                          from it, by HKDF, the key-A derivation key and the key-B derivation key.
 * DIR/issuer-signing.key   EC P-256 private key, PKCS#8 PEM (0600): signs each card's data.
 * DIR/issuer.pub.pem       its public key: goes to every terminal (card.issuer-public-keys).
 * DIR/card-keya.key        the key-A derivation key, hex (0600): goes into every terminal's key
 *                          token (scripts/provision), so terminals can read cards; nothing else.
 * </pre>
 */
public final class IssuerKeys {
    public static final String MASTER = "card-master.key";
    public static final String SIGNING = "issuer-signing.key";
    public static final String PUBLIC = "issuer.pub.pem";
    public static final String KEY_A_EXPORT = "card-keya.key";
    private static final byte[] SALT = "onecard/card-keys/v2".getBytes(StandardCharsets.US_ASCII);

    private final byte[] master;
    private final PrivateKey signing;
    private final PublicKey publicKey;

    private IssuerKeys(byte[] master, PrivateKey signing, PublicKey publicKey) {
        this.master = master;
        this.signing = signing;
        this.publicKey = publicKey;
    }

    /**
     * Creates what is missing in {@code dir} (a master key, a signing key pair, the exported key-A
     * derivation key) and loads the keys. Existing keys are kept.
     */
    public static IssuerKeys init(Path dir) throws IOException {
        Files.createDirectories(dir);
        SecureRandom rnd = new SecureRandom();
        if (!Files.exists(dir.resolve(MASTER))) {
            byte[] m = new byte[32];
            rnd.nextBytes(m);
            writePrivate(dir.resolve(MASTER), HexFormat.of().formatHex(m) + "\n");
        }
        if (!Files.exists(dir.resolve(SIGNING))) {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"), rnd);
                KeyPair kp = g.generateKeyPair();
                writePrivate(dir.resolve(SIGNING), pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
                Files.writeString(dir.resolve(PUBLIC), pem("PUBLIC KEY", kp.getPublic().getEncoded()), StandardCharsets.US_ASCII);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("EC P-256 key generation unavailable", e);
            }
        }
        IssuerKeys k = load(dir);
        if (!Files.exists(dir.resolve(KEY_A_EXPORT))) {
            writePrivate(dir.resolve(KEY_A_EXPORT), HexFormat.of().formatHex(k.keyADerivationBytes()) + "\n");
        }
        return k;
    }

    /** Loads the keys of an issuer desk made by {@link #init}. */
    public static IssuerKeys load(Path dir) throws IOException {
        byte[] master = hex(dir.resolve(MASTER));
        try {
            PrivateKey signing = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(unpem(dir.resolve(SIGNING), "PRIVATE KEY")));
            PublicKey pub = readPublicKey(dir.resolve(PUBLIC));
            return new IssuerKeys(master, signing, pub);
        } catch (GeneralSecurityException e) {
            throw new IOException("issuer key files in " + dir + " are not EC P-256 keys: " + e.getMessage(), e);
        }
    }

    /** An issuer public key from a PEM file (what terminals load). */
    public static PublicKey readPublicKey(Path file) throws IOException {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(unpem(file, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not an EC public key: " + e.getMessage(), e);
        }
    }

    /** The layout-1 master key (legacy cards and their tickets). */
    byte[] master() {
        return master.clone();
    }

    byte[] keyADerivationBytes() {
        return Hkdf.derive(master, SALT, "keyA-derivation".getBytes(StandardCharsets.US_ASCII), 32);
    }

    /** The key-A derivation key: what terminals hold (in their tokens) to read layout-2 cards. */
    public SecretKey keyADerivation() {
        return new SecretKeySpec(keyADerivationBytes(), "HmacSHA256");
    }

    /** The key-B derivation key: writes cards; never leaves this desk. */
    SecretKey keyBDerivation() {
        return new SecretKeySpec(Hkdf.derive(master, SALT, "keyB-derivation".getBytes(StandardCharsets.US_ASCII), 32), "HmacSHA256");
    }

    PrivateKey signingKey() {
        return signing;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The id written in block 4 of the cards this desk signs. */
    public int keyId() {
        return CampusCard.keyId(publicKey);
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        int i = text.indexOf(begin);
        int j = text.indexOf("-----END " + type + "-----");
        if (i < 0 || j < i) {
            throw new IOException(file + " is not a PEM " + type.toLowerCase());
        }
        return Base64.getMimeDecoder().decode(text.substring(i + begin.length(), j));
    }

    private static byte[] hex(Path file) throws IOException {
        try {
            byte[] k = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (k.length < 16) {
                throw new IOException(file + " holds " + k.length + " bytes; at least 16 are needed");
            }
            return k;
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not hex", e);
        }
    }
}
