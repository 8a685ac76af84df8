package com.onecard.pos.terminal.token;

import javax.crypto.SecretKey;
import javax.net.ssl.KeyManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The terminal's PKCS#11 key token, through Java's SunPKCS11 provider: SoftHSM2 in development,
 * the simulator and CI, a secure element or SAM in the field, with the same code. Keys are token
 * objects that cannot be read out (sensitive, not extractable; {@code scripts/provision} imports
 * them so); the daemon gets handles that compute MACs and signatures inside the token. One key
 * per purpose, under fixed labels.
 *
 * <p>The provider is registered with the JCE, so code elsewhere that asks for
 * {@code Mac.getInstance("HmacSHA256")} and initialises it with a token key runs in the token.
 */
public final class KeyToken {
    /** HMAC key of the journal's MAC chain. */
    public static final String JOURNAL_MAC = "onecard-journal-mac";
    /** HMAC key of this terminal's payment QR codes. */
    public static final String QR_MAC = "onecard-qr-mac";
    /** HMAC key that derives each campus card's sector key A (layout 2); the same on every terminal of a campus. */
    public static final String CARD_KEY_A = "onecard-card-keya";
    /** EC private key and certificate of the terminal's TLS identity towards the center. */
    public static final String TLS = "onecard-tls";

    private static final AtomicInteger OPENED = new AtomicInteger();

    private final TokenSettings settings;
    private final Provider provider;
    private final KeyStore store;

    private KeyToken(TokenSettings settings, Provider provider, KeyStore store) {
        this.settings = settings;
        this.provider = provider;
        this.store = store;
    }

    /** Opens the token and logs in with the PIN from the settings' PIN file. */
    public static KeyToken open(TokenSettings settings) throws TokenException {
        return open(settings, "");
    }

    /**
     * @param extraConfig more SunPKCS11 configuration lines (the provisioning tool's key attributes)
     * @throws TokenException naming what is wrong: library, token, PIN file or PIN
     */
    static KeyToken open(TokenSettings settings, String extraConfig) throws TokenException {
        char[] pin = readPin(settings.pinFile());
        try {
            Provider p = configure(settings, extraConfig);
            Security.addProvider(p);
            KeyStore ks = KeyStore.getInstance("PKCS11", p);
            ks.load(null, pin);
            return new KeyToken(settings, p, ks);
        } catch (IOException e) {
            String code = pkcs11Code(e);
            throw new TokenException(TokenException.Kind.PIN_REFUSED, where(settings) + " refused the PIN from "
                    + settings.pinFile() + " (" + code + "); check the file against the token's PIN and do not retry"
                    + " blindly: a token locks after a few wrong PINs", e);
        } catch (GeneralSecurityException e) {
            throw new TokenException(TokenException.Kind.NO_TOKEN, where(settings) + " cannot be used: " + e.getMessage(), e);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private static Provider configure(TokenSettings s, String extraConfig) throws TokenException {
        if (!Files.isReadable(s.library())) {
            throw new TokenException(TokenException.Kind.LIBRARY, "PKCS#11 library " + s.library()
                    + " is missing (token.library); for SoftHSM2: apt-get install softhsm2", null);
        }
        String slot = s.slot() >= 0 ? "slot=" + s.slot() : "slotListIndex=" + s.slotIndex();
        String cfg = "--name=onecard-token-" + OPENED.incrementAndGet() + "\nlibrary=" + s.library() + "\n" + slot + "\n" + extraConfig;
        try {
            return Security.getProvider("SunPKCS11").configure(cfg);
        } catch (ProviderException e) {
            String code = pkcs11Code(e);
            String hint = code.equals("CKR_GENERAL_ERROR") && s.library().toString().contains("softhsm")
                    ? "; SoftHSM2 could not read its configuration: SOFTHSM2_CONF is "
                    + (System.getenv("SOFTHSM2_CONF") == null ? "not set" : System.getenv("SOFTHSM2_CONF"))
                    : "; is the token plugged in and provisioned (scripts/provision)?";
            throw new TokenException(TokenException.Kind.NO_TOKEN, where(s) + " is not available ("
                    + (code.isEmpty() ? rootMessage(e) : code) + ")" + hint, e);
        }
    }

    private static String where(TokenSettings s) {
        return "key token (" + s.library().getFileName() + ", " + (s.slot() >= 0 ? "slot " + s.slot() : "slot index " + s.slotIndex()) + ")";
    }

    /** The PKCS#11 return code (CKR_...) somewhere in the causes, or "". */
    private static String pkcs11Code(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            int i = m.indexOf("CKR_");
            if (i >= 0) {
                int j = i;
                while (j < m.length() && (Character.isLetterOrDigit(m.charAt(j)) || m.charAt(j) == '_')) {
                    j++;
                }
                return m.substring(i, j);
            }
        }
        return "";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    /**
     * The PIN, from a file that only its owner may read (systemd's credentials folder, or a
     * 0400/0600 file). Never logged, never in a message.
     */
    static char[] readPin(Path file) throws TokenException {
        if (file == null || !Files.isReadable(file)) {
            throw new TokenException(TokenException.Kind.PIN_FILE, "token PIN file " + file + " is missing or not readable"
                    + " (token.pin-file; under systemd the unit's LoadCredential=token-pin puts it in $CREDENTIALS_DIRECTORY)", null);
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                throw new TokenException(TokenException.Kind.PIN_FILE, "token PIN file " + file + " can be read by its group or"
                        + " by everyone (" + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "); chmod 0400 " + file, null);
            }
            byte[] raw = Files.readAllBytes(file);
            String text = new String(raw, StandardCharsets.UTF_8).strip();
            Arrays.fill(raw, (byte) 0);
            if (text.isEmpty()) {
                throw new TokenException(TokenException.Kind.PIN_FILE, "token PIN file " + file + " is empty", null);
            }
            return text.toCharArray();
        } catch (IOException e) {
            throw new TokenException(TokenException.Kind.PIN_FILE, "token PIN file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    public TokenSettings settings() {
        return settings;
    }

    /** The logged-in PKCS#11 KeyStore (provisioning writes through it). */
    KeyStore store() {
        return store;
    }

    /** The SunPKCS11 provider of this token (registered with the JCE). */
    public Provider provider() {
        return provider;
    }

    /** Labels of the token's keys and certificates. */
    public List<String> labels() throws TokenException {
        try {
            return Collections.list(store.aliases());
        } catch (GeneralSecurityException e) {
            throw new TokenException(TokenException.Kind.NO_TOKEN, "cannot list the objects of the " + where(settings) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The secret key under {@code label}: a handle, its value stays in the token.
     *
     * @param purpose what the key is for, for the error message
     * @throws TokenException MISSING_KEY when the token has no such key
     */
    public SecretKey secretKey(String label, String purpose) throws TokenException {
        Key k = key(label);
        if (!(k instanceof SecretKey sk)) {
            throw missing(label, purpose);
        }
        return sk;
    }

    /** True when the token holds a key under {@code label}. */
    public boolean has(String label) throws TokenException {
        return key(label) != null;
    }

    private Key key(String label) throws TokenException {
        try {
            return store.getKey(label, null);
        } catch (GeneralSecurityException e) {
            throw new TokenException(TokenException.Kind.NO_TOKEN, "cannot read key '" + label + "' from the " + where(settings)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The terminal's TLS identity: the private key under {@value #TLS} (which signs the handshake
     * inside the token) with its certificate.
     */
    public KeyManagerFactory tlsIdentity() throws TokenException {
        if (!(key(TLS) instanceof PrivateKey)) {
            throw missing(TLS, "TLS identity towards the card center");
        }
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
            kmf.init(store, null);
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new TokenException(TokenException.Kind.MISSING_KEY, "the TLS identity '" + TLS + "' in the " + where(settings)
                    + " cannot be used: " + e.getMessage(), e);
        }
    }

    private TokenException missing(String label, String purpose) {
        return new TokenException(TokenException.Kind.MISSING_KEY, "the " + where(settings) + " has no key '" + label + "' ("
                + purpose + "); provision it: scripts/provision imports every key a terminal needs", null);
    }
}
