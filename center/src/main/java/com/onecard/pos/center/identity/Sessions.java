package com.onecard.pos.center.identity;

import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.paycode.PaycodeCertificates;
import com.onecard.pos.center.db.UnitOfWork;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Logged-in devices. A session belongs to one user and one device; its refresh token (stored only
 * as SHA-256) is rotated at each use and works only from that device. Presenting a refresh token
 * that was already rotated away ends the session (someone copied it), except within
 * {@link #REUSE_INTERVAL} of its rotation from the same device: then the answer is the same
 * successor again, so two tabs of one phone whose access tokens expired together both stay logged
 * in, whichever answer they store last, and a client that lost the answer to a refresh can retry
 * it. This is the rotated-token grace period identity servers offer (Amazon Cognito's
 * {@code RetryGracePeriodSeconds}, at most 60 s; Connect2id's {@code rotatedReuseGracePeriod}, 5 s);
 * it covers only the token immediately before the current one, and answers with the same successor,
 * not a new one.
 * A successor is derived, not stored: HMAC-SHA256 under the app's refresh-token key of the
 * session's random salt and the rotation's generation. One student, one phone: a new login ends
 * the user's other sessions, as does a phone change.
 */
public final class Sessions {
    /** A new session, or a refreshed one: its id and the refresh token to keep (shown once). */
    public record Issued(long sessionId, long userId, String deviceId, String refreshToken) {
        @Override
        public String toString() {
            return "Issued[session " + sessionId + ", user " + userId + "]";
        }
    }

    /** A live session with what every request needs to know of its user. */
    public record Live(long sessionId, long userId, String deviceId, AppUsers.Role role, Long accountId,
                       boolean initialPassword) {
    }

    /**
     * How long after a rotation the token it replaced still gets the same successor from the same
     * device: 10 s, long enough for two tabs (or a retried request whose answer was lost) that sent
     * the same token at once, short enough that a copied token is still caught as reuse.
     */
    public static final Duration REUSE_INTERVAL = Duration.ofSeconds(10);

    private final UnitOfWork uow;
    private final Clock clock;
    private final Duration refreshTtl;
    private final byte[] refreshKey;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param refreshKey 32 bytes, {@link AppKeys#refreshTokens()}: instances sharing the token
     *                   secret derive the same successors
     */
    public Sessions(UnitOfWork uow, Clock clock, Duration refreshTtl, byte[] refreshKey) {
        this.uow = uow;
        this.clock = clock;
        this.refreshTtl = refreshTtl;
        this.refreshKey = refreshKey.clone();
    }

    /** Opens a session for {@code userId} on {@code deviceId} inside {@code tx}, ending the user's others. */
    Issued open(Tx tx, long userId, String deviceId, String reasonForOthers) throws SQLException {
        long now = clock.millis();
        endAll(tx, userId, reasonForOthers, -1);
        byte[] salt = newSalt();
        String refresh = token(salt, 0);
        try (PreparedStatement p = tx.c().prepareStatement("""
                INSERT INTO app_sessions(user_id, device_id, refresh_hash, created_ms, refreshed_ms, refresh_expires_ms,
                  refresh_salt, refresh_generation)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0) RETURNING session_id""")) {
            p.setLong(1, userId);
            p.setString(2, deviceId);
            p.setBytes(3, sha256(refresh));
            p.setLong(4, now);
            p.setLong(5, now);
            p.setLong(6, now + refreshTtl.toMillis());
            p.setBytes(7, salt);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return new Issued(r.getLong(1), userId, deviceId, refresh);
            }
        }
    }

    /**
     * Swaps a refresh token for a new one. The token before the last rotation, presented again from
     * the same device within {@link #REUSE_INTERVAL} of that rotation, gets the same successor and
     * changes nothing. Refusals: REFRESH_INVALID (unknown, expired or ended), DEVICE_MISMATCH
     * (another device presents it: the session ends), REFRESH_REUSED (an old, already rotated token
     * outside the reuse interval or from another device: the session ends).
     */
    public Issued refresh(String refreshToken, String deviceId) {
        byte[] hash = sha256(refreshToken);
        Object result = uow.run("refreshing a session", tx -> {
            long now = clock.millis();
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT session_id, user_id, device_id, refresh_expires_ms, ended_ms, refresh_salt, refresh_generation
                    FROM app_sessions WHERE refresh_hash = ? FOR UPDATE""")) {
                p.setBytes(1, hash);
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        long sid = r.getLong(1);
                        long uid = r.getLong(2);
                        r.getLong(5);
                        if (!r.wasNull()) {
                            return AppError.REFRESH_INVALID.with("that session has ended");
                        }
                        if (r.getLong(4) <= now) {
                            end(tx, sid, "refresh token expired");
                            return AppError.REFRESH_INVALID.with("the refresh token expired; log in again");
                        }
                        if (!r.getString(3).equals(deviceId)) {
                            end(tx, sid, "refresh token presented by another device");
                            return AppError.DEVICE_MISMATCH.with("the refresh token belongs to another device;"
                                    + " the session is ended");
                        }
                        byte[] salt = r.getBytes(6);
                        long generation = r.getLong(7) + 1;
                        if (salt == null) { // a session opened before successors were derived
                            salt = newSalt();
                            generation = 1;
                        }
                        String next = token(salt, generation);
                        try (PreparedStatement u = tx.c().prepareStatement("""
                                UPDATE app_sessions SET previous_hash = refresh_hash, refresh_hash = ?, refreshed_ms = ?,
                                  refresh_expires_ms = ?, refresh_salt = ?, refresh_generation = ? WHERE session_id = ?""")) {
                            u.setBytes(1, sha256(next));
                            u.setLong(2, now);
                            u.setLong(3, now + refreshTtl.toMillis());
                            u.setBytes(4, salt);
                            u.setLong(5, generation);
                            u.setLong(6, sid);
                            u.executeUpdate();
                        }
                        return new Issued(sid, uid, deviceId, next);
                    }
                }
            }
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT session_id, user_id, device_id, refreshed_ms, refresh_expires_ms, refresh_salt, refresh_generation
                    FROM app_sessions WHERE previous_hash = ? AND ended_ms IS NULL FOR UPDATE""")) {
                p.setBytes(1, hash);
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        long sid = r.getLong(1);
                        byte[] salt = r.getBytes(6);
                        if (salt != null && r.getString(3).equals(deviceId)
                                && now - r.getLong(4) <= REUSE_INTERVAL.toMillis() && r.getLong(5) > now) {
                            return new Issued(sid, r.getLong(2), deviceId, token(salt, r.getLong(7)));
                        }
                        end(tx, sid, "a rotated refresh token was presented again");
                        return AppError.REFRESH_REUSED.with("this refresh token was already used; the session is"
                                + " ended, log in again");
                    }
                }
            }
            return AppError.REFRESH_INVALID.with("unknown refresh token");
        });
        if (result instanceof com.onecard.pos.center.app.error.Refusal r) {
            throw r;
        }
        return (Issued) result;
    }

    /** The session when it is live, with its user's role, account and password state. */
    public Optional<Live> live(long sessionId) {
        return uow.read("reading session " + sessionId, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT s.user_id, s.device_id, u.role, u.account_id, u.password_hash IS NULL
                    FROM app_sessions s JOIN app_users u USING (user_id)
                    WHERE s.session_id = ? AND s.ended_ms IS NULL""")) {
                p.setLong(1, sessionId);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    long acc = r.getLong(4);
                    Long account = r.wasNull() ? null : acc;
                    return Optional.of(new Live(sessionId, r.getLong(1), r.getString(2),
                            AppUsers.Role.valueOf(r.getString(3).toUpperCase(java.util.Locale.ROOT)), account,
                            r.getBoolean(5)));
                }
            }
        });
    }

    public void end(long sessionId, String reason) {
        uow.run("ending session " + sessionId, tx -> {
            end(tx, sessionId, reason);
            return null;
        });
    }

    /** Ends every live session of the user except {@code keepSessionId} (-1: none kept); returns how many. */
    public int endAll(long userId, String reason, long keepSessionId) {
        return uow.run("ending the sessions of user " + userId, tx -> endAll(tx, userId, reason, keepSessionId));
    }

    int endAll(Tx tx, long userId, String reason, long keepSessionId) throws SQLException {
        long now = clock.millis();
        java.util.List<Long> ended = new java.util.ArrayList<>();
        try (PreparedStatement p = tx.c().prepareStatement("""
                UPDATE app_sessions SET ended_ms = ?, ended_reason = ?
                WHERE user_id = ? AND ended_ms IS NULL AND session_id <> ? RETURNING session_id""")) {
            p.setLong(1, now);
            p.setString(2, reason);
            p.setLong(3, userId);
            p.setLong(4, keepSessionId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    ended.add(r.getLong(1));
                }
            }
        }
        // a device whose session ended can no longer pay by code: its certificate is revoked with it
        PaycodeCertificates.revokeSessions(tx, ended, "session ended: " + reason, now);
        return ended.size();
    }

    private void end(Tx tx, long sessionId, String reason) throws SQLException {
        long now = clock.millis();
        try (PreparedStatement p = tx.c().prepareStatement(
                "UPDATE app_sessions SET ended_ms = ?, ended_reason = ? WHERE session_id = ? AND ended_ms IS NULL")) {
            p.setLong(1, now);
            p.setString(2, reason);
            p.setLong(3, sessionId);
            p.executeUpdate();
        }
        PaycodeCertificates.revokeSessions(tx, java.util.List.of(sessionId), "session ended: " + reason, now);
    }

    private byte[] newSalt() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return b;
    }

    /** The refresh token of rotation {@code generation} of the session with {@code salt}: 43 base64url characters. */
    private String token(byte[] salt, long generation) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(refreshKey, "HmacSHA256"));
            mac.update(salt);
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(generation).array());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
