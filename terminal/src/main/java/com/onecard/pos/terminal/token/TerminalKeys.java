package com.onecard.pos.terminal.token;

import com.onecard.pos.sync.keys.KeyCheckValue;
import com.onecard.pos.terminal.config.TerminalConfig;

import javax.crypto.SecretKey;
import javax.net.ssl.KeyManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys the daemon works with: handles into its key token for the secret ones (their values
 * never enter the daemon's memory), and the card issuer's public keys.
 *
 * @param journalMac  HMAC key of the journal's MAC chain
 * @param qrMac       HMAC key of this terminal's payment QR codes
 * @param cardKeyA    the campus's key-A derivation key, or null when cards are not read (no issuer key configured)
 * @param issuerKeys  the card issuer's public keys by key id (empty: cards are not checked)
 * @param tls         the TLS identity towards the center, or null when it comes from PEM files (center.key)
 */
public record TerminalKeys(SecretKey journalMac, SecretKey qrMac, SecretKey cardKeyA, Map<Integer, PublicKey> issuerKeys,
                           KeyManagerFactory tls) {

    public TerminalKeys {
        issuerKeys = Map.copyOf(issuerKeys);
    }

    /**
     * Takes the keys the configuration needs from the token: always the journal and QR keys; the
     * key-A derivation key when card issuer keys are configured; the TLS identity when a center
     * is configured and {@code center.key} names no PEM file.
     *
     * @throws TokenException naming the missing key or the unreadable issuer key file
     */
    public static TerminalKeys fromToken(KeyToken token, TerminalConfig cfg) throws TokenException {
        SecretKey journal = token.secretKey(KeyToken.JOURNAL_MAC, "journal MAC chain");
        SecretKey qr = token.secretKey(KeyToken.QR_MAC, "payment QR codes");
        Map<Integer, PublicKey> issuer = cfg.cards().issuerPublicKeys() == null ? Map.of() : issuerKeys(cfg.cards().issuerPublicKeys());
        SecretKey keyA = issuer.isEmpty() ? null : token.secretKey(KeyToken.CARD_KEY_A, "reading campus cards (key A derivation)");
        KeyManagerFactory tls = cfg.center().host().isEmpty() || cfg.center().key() != null ? null : token.tlsIdentity();
        return new TerminalKeys(journal, qr, keyA, issuer, tls);
    }

    /** Check values of the token keys (for selftest and the journal key check). */
    public Map<String, String> checkValues() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KeyToken.JOURNAL_MAC, KeyCheckValue.of(journalMac));
        m.put(KeyToken.QR_MAC, KeyCheckValue.of(qrMac));
        if (cardKeyA != null) {
            m.put(KeyToken.CARD_KEY_A, KeyCheckValue.of(cardKeyA));
        }
        return m;
    }

    /**
     * The card issuer's public keys from one PEM file holding one or more {@code PUBLIC KEY}
     * blocks, by key id (the first byte of SHA-256 of each key's encoding, as block 4 names it).
     */
    public static Map<Integer, PublicKey> issuerKeys(Path pem) throws TokenException {
        try {
            String text = Files.readString(pem, StandardCharsets.US_ASCII);
            Map<Integer, PublicKey> keys = new LinkedHashMap<>();
            String begin = "-----BEGIN PUBLIC KEY-----";
            String end = "-----END PUBLIC KEY-----";
            for (int i = text.indexOf(begin); i >= 0; i = text.indexOf(begin, i + 1)) {
                int j = text.indexOf(end, i);
                if (j < 0) {
                    break;
                }
                byte[] der = Base64.getMimeDecoder().decode(text.substring(i + begin.length(), j));
                PublicKey k = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
                keys.put(com.onecard.pos.reader.card.CampusCard.keyId(k), k);
            }
            if (keys.isEmpty()) {
                throw new TokenException(TokenException.Kind.MISSING_KEY, "card.issuer-public-keys: " + pem
                        + " holds no PEM public key (-----BEGIN PUBLIC KEY-----)", null);
            }
            return keys;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new TokenException(TokenException.Kind.MISSING_KEY, "card.issuer-public-keys: " + pem
                    + " cannot be read as EC public keys: " + e.getMessage(), e);
        }
    }
}
