package com.onecard.pos.center.sync;

import io.netty.handler.ssl.OpenSslSessionTicketKey;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The TLS session ticket keys of the sync port: derived from a secret every instance of the
 * center holds (its TLS private key) and the day, so a terminal that lost a restarted or
 * failed-over instance resumes its TLS session on the new one (no certificate signatures on
 * either side) instead of a full handshake, while a ticket stops opening sessions within two days.
 *
 * <p>Each day has its own key, {@code HMAC-SHA256(secret, "onecard-pos sync ticket " + part + " "
 * + epochDay)} for its 16-byte name, HMAC key and AES key (RFC 5077 §4's recommended ticket
 * construction, as BoringSSL implements it). New tickets are sealed with today's key; yesterday's
 * still opens tickets issued before midnight. Whoever holds the secret can forge a ticket naming
 * any terminal's certificate, so the secret is the center's private key itself: nothing new to
 * guard, nothing new on disk. Resumption uses TLS 1.3's psk_dhe_ke (a fresh X25519 exchange), so a
 * stolen ticket key does not decrypt recorded sessions.
 */
final class SessionTicketKeys {
    private static final String LABEL = "onecard-pos sync ticket ";

    private SessionTicketKeys() {
    }

    /** Today's key first (seals new tickets), then yesterday's (opens older tickets). */
    static OpenSslSessionTicketKey[] forDay(byte[] secret, long epochDay) {
        return new OpenSslSessionTicketKey[] {key(secret, epochDay), key(secret, epochDay - 1)};
    }

    static OpenSslSessionTicketKey key(byte[] secret, long epochDay) {
        return new OpenSslSessionTicketKey(part(secret, "name", epochDay), part(secret, "hmac", epochDay),
                part(secret, "aes", epochDay));
    }

    private static byte[] part(byte[] secret, String what, long epochDay) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] full = mac.doFinal((LABEL + what + " " + epochDay).getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(full, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
