package com.onecard.pos.center.sync;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The TLS session ticket keys of the sync port, derived from a secret every instance of the
 * center holds ({@code sync.ticket-secret-file}), the campus CA and the UTC day: a terminal that
 * lost a restarted or failed-over instance resumes its TLS session on any instance holding the same
 * secret (no certificate signatures on either side) instead of a full handshake.
 *
 * <p>Each day has its own key: {@code HMAC-SHA256(secret, "onecard-pos sync ticket " + part + " "
 * + hex(SHA-256(CA certificate file)) + " " + epochDay)}, first 16 bytes, for its name, HMAC key
 * and AES key (the ticket layout of RFC 5077 §4, as BoringSSL seals tickets). New tickets are sealed
 * with today's key; yesterday's and tomorrow's open tickets too, so instances whose clocks or
 * rotation turns differ by minutes around midnight open each other's. A ticket thus opens sessions
 * for two days at most; BoringSSL renews it on each resumption, up to its limit of 7 days from the
 * full handshake that checked the certificate. Binding the CA means a center of another campus or a
 * staging center with a copy of the secret but its own CA mints nothing this one opens.
 *
 * <p>Whoever holds the secret can forge a ticket that names any terminal's certificate: it is a
 * secret of its own (not the center's TLS key, which it would otherwise turn into a terminal
 * credential), in a file only the center's user reads, replaced by replacing the file (every
 * ticket sealed with the old one then needs one full handshake). Resumption is TLS 1.3 psk_dhe_ke
 * (a fresh X25519 exchange; the JDK's client offers nothing else), so a stolen secret does not
 * decrypt recorded sessions.
 */
final class SessionTicketKeys {
    private static final String LABEL = "onecard-pos sync ticket ";
    private static final long DAY_SECONDS = 86_400;

    private final byte[] secret;
    private final String caHash;
    private long installedDay = Long.MIN_VALUE;

    /** @param caCert the campus CA the sync port trusts (its file's bytes are hashed into every key) */
    SessionTicketKeys(byte[] secret, Path caCert) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("a ticket secret of at least 32 bytes, got " + secret.length);
        }
        this.secret = secret.clone();
        try {
            this.caHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(caCert)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the CA certificate " + caCert, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A secret for an instance that shares its tickets with no other. */
    static byte[] randomSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** Installs the keys of {@code now}'s day unless they are already; the caller's thread only. */
    synchronized void installFor(OpenSslSessionContext context, Instant now) {
        long day = Math.floorDiv(now.getEpochSecond(), DAY_SECONDS);
        if (day != installedDay) {
            context.setTicketKeys(forDay(day));
            installedDay = day;
        }
    }

    /** Today's key first (seals new tickets), then yesterday's and tomorrow's (open tickets only). */
    OpenSslSessionTicketKey[] forDay(long epochDay) {
        return new OpenSslSessionTicketKey[] {key(epochDay), key(epochDay - 1), key(epochDay + 1)};
    }

    OpenSslSessionTicketKey key(long epochDay) {
        return new OpenSslSessionTicketKey(part("name", epochDay), part("hmac", epochDay), part("aes", epochDay));
    }

    private byte[] part(String what, long epochDay) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] full = mac.doFinal((LABEL + what + " " + caHash + " " + epochDay)
                    .getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(full, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "SessionTicketKeys[ca " + caHash.substring(0, 12) + "…, day " + installedDay + "]";
    }
}
