package com.onecard.pos.terminal.token;

import com.onecard.pos.sync.keys.KeyCheckValue;
import com.onecard.pos.sync.keys.TerminalKeySchedule;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Java half of {@code scripts/provision}: imports a terminal's keys into its (already
 * initialised) PKCS#11 token, each under its own label and only for its own use. Secret keys are
 * sensitive and not extractable and may only sign and verify (HMAC); the TLS private key may only
 * sign. Nothing can read a key back out of the token afterwards. Key material comes from files
 * (never the command line) and is wiped from memory after the import; the token's PIN comes from
 * the PIN file. Running it again keeps a key that is already right and replaces one that is not.
 *
 * <pre>
 * java ... TokenImport --library LIB [--slot ID | --slot-index N] --pin-file FILE --terminal-id T01
 *     --terminal-secret FILE [--card-keya FILE] [--tls-key FILE --tls-cert FILE] [--check-values FILE]
 * </pre>
 * Exit status 0 done, 2 usage, 1 the token refused.
 */
public final class TokenImport {
    /** SunPKCS11 attributes of imported keys: one use each, never readable. */
    static final String IMPORT_ATTRIBUTES = """
            attributes(import, CKO_SECRET_KEY, *) = {
              CKA_TOKEN = true
              CKA_PRIVATE = true
              CKA_SENSITIVE = true
              CKA_EXTRACTABLE = false
              CKA_SIGN = true
              CKA_VERIFY = true
              CKA_ENCRYPT = false
              CKA_DECRYPT = false
              CKA_WRAP = false
              CKA_UNWRAP = false
              CKA_DERIVE = false
            }
            attributes(import, CKO_PRIVATE_KEY, *) = {
              CKA_TOKEN = true
              CKA_PRIVATE = true
              CKA_SENSITIVE = true
              CKA_EXTRACTABLE = false
              CKA_SIGN = true
              CKA_DECRYPT = false
              CKA_UNWRAP = false
              CKA_DERIVE = false
            }
            """;

    private TokenImport() {
    }

    public static void main(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("unexpected argument '" + args[i] + "'");
            }
            a.put(args[i].substring(2), args[++i]);
        }
        for (String required : new String[]{"library", "pin-file", "terminal-id", "terminal-secret"}) {
            if (!a.containsKey(required)) {
                usage("--" + required + " is required");
            }
        }
        if (a.containsKey("tls-key") != a.containsKey("tls-cert")) {
            usage("--tls-key and --tls-cert go together");
        }
        try {
            TokenSettings s = new TokenSettings(Path.of(a.get("library")), Long.parseLong(a.getOrDefault("slot", "-1")),
                    Integer.parseInt(a.getOrDefault("slot-index", "0")), Path.of(a.get("pin-file")));
            Map<String, String> kcv = run(s, a.get("terminal-id"), Path.of(a.get("terminal-secret")),
                    a.containsKey("card-keya") ? Path.of(a.get("card-keya")) : null,
                    a.containsKey("tls-key") ? Path.of(a.get("tls-key")) : null,
                    a.containsKey("tls-cert") ? Path.of(a.get("tls-cert")) : null);
            if (a.containsKey("check-values")) {
                StringBuilder sb = new StringBuilder("# key check values (HMAC-SHA256(key, \"onecard/kcv/v1\"), 3 bytes): not secret\n");
                kcv.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
                Files.writeString(Path.of(a.get("check-values")), sb.toString(), StandardCharsets.US_ASCII);
            }
        } catch (NumberFormatException e) {
            usage("--slot and --slot-index are numbers: " + e.getMessage());
        } catch (TokenException | IOException | GeneralSecurityException e) {
            System.err.println("token import failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage(String why) {
        System.err.println("TokenImport: " + why + "\nusage: TokenImport --library LIB [--slot ID | --slot-index N] --pin-file FILE"
                + " --terminal-id ID --terminal-secret FILE [--card-keya FILE] [--tls-key FILE --tls-cert FILE] [--check-values FILE]");
        System.exit(2);
    }

    /**
     * Imports the keys and returns their check values by label.
     *
     * @param cardKeyA the campus's key-A derivation key file (hex), or null
     * @param tlsKey   the TLS private key (PKCS#8 PEM), or null with {@code tlsCert}
     */
    static Map<String, String> run(TokenSettings s, String terminalId, Path terminalSecret, Path cardKeyA, Path tlsKey,
                                   Path tlsCert) throws TokenException, IOException, GeneralSecurityException {
        KeyToken token = KeyToken.open(s, IMPORT_ATTRIBUTES);
        KeyStore store = token.store();
        Map<String, String> kcv = new LinkedHashMap<>();
        byte[] secret = hexFile(terminalSecret, "terminal secret");
        try {
            kcv.put(KeyToken.JOURNAL_MAC, put(token, store, KeyToken.JOURNAL_MAC, TerminalKeySchedule.journalKey(secret)));
            kcv.put(KeyToken.QR_MAC, put(token, store, KeyToken.QR_MAC, TerminalKeySchedule.qrKey(secret, terminalId)));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        if (cardKeyA != null) {
            byte[] k = hexFile(cardKeyA, "card key-A derivation key");
            try {
                kcv.put(KeyToken.CARD_KEY_A, put(token, store, KeyToken.CARD_KEY_A, k));
            } finally {
                Arrays.fill(k, (byte) 0);
            }
        }
        if (tlsKey != null) {
            putTls(token, store, tlsKey, tlsCert);
        }
        return kcv;
    }

    /** Puts an HMAC key under {@code label} unless the same key is already there; returns its check value. */
    private static String put(KeyToken token, KeyStore store, String label, byte[] value) throws TokenException, GeneralSecurityException {
        SecretKeySpec spec = new SecretKeySpec(value, "HmacSHA256");
        String want = KeyCheckValue.of(spec);
        if (token.has(label)) {
            SecretKey old = token.secretKey(label, label);
            if (KeyCheckValue.of(old).equals(want)) {
                System.out.println(label + ": kept (check value " + want + ")");
                return want;
            }
            store.deleteEntry(label);
            System.out.println(label + ": replaced (check value " + want + ")");
        } else {
            System.out.println(label + ": imported (check value " + want + ")");
        }
        store.setEntry(label, new KeyStore.SecretKeyEntry(spec), null);
        SecretKey stored = token.secretKey(label, label);
        if (stored.getEncoded() != null) {
            throw new GeneralSecurityException("the token gives out the value of '" + label + "': it must keep keys sensitive");
        }
        if (!KeyCheckValue.of(stored).equals(want)) {
            throw new GeneralSecurityException("'" + label + "' in the token does not compute what the imported key computes");
        }
        return want;
    }

    private static void putTls(KeyToken token, KeyStore store, Path keyFile, Path certFile) throws IOException, GeneralSecurityException, TokenException {
        Certificate cert;
        try (InputStream in = Files.newInputStream(certFile)) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        if (token.has(KeyToken.TLS) && cert.equals(store.getCertificate(KeyToken.TLS))) {
            System.out.println(KeyToken.TLS + ": kept (certificate unchanged)");
            return;
        }
        if (token.has(KeyToken.TLS)) {
            store.deleteEntry(KeyToken.TLS);
        }
        byte[] der = pem(keyFile, "PRIVATE KEY");
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(cert.getPublicKey().getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
        } finally {
            Arrays.fill(der, (byte) 0);
        }
        store.setEntry(KeyToken.TLS, new KeyStore.PrivateKeyEntry(key, new Certificate[]{cert}), null);
        System.out.println(KeyToken.TLS + ": imported (private key and certificate)");
    }

    static byte[] hexFile(Path file, String what) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            byte[] k = HexFormat.of().parseHex(text);
            if (k.length < 16) {
                throw new IOException(what + " file " + file + " holds " + k.length + " bytes; at least 16 are needed");
            }
            return k;
        } catch (IllegalArgumentException e) {
            throw new IOException(what + " file " + file + " is not hex", e);
        }
    }

    static byte[] pem(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        int i = text.indexOf(begin);
        int j = text.indexOf("-----END " + type + "-----");
        if (i < 0 || j < i) {
            throw new IOException(file + " is not a PEM " + type.toLowerCase());
        }
        return Base64.getMimeDecoder().decode(text.substring(i + begin.length(), j));
    }
}
