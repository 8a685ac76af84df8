package com.onecard.pos.center.identity;

import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.db.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;

/**
 * Verification codes by SMS: six digits, single use, valid {@link Limits#ttl} (5 min), stored
 * only as an HMAC under a center secret (a six-digit space is no secret from a plain hash).
 * Sending is rate-limited per number and per client address; wrong codes are counted per
 * number with a back-off that expires ({@link AttemptCounters}), and a code dies after
 * {@link Limits#failuresPerCode} wrong tries.
 */
public final class SmsCodes {
    /** What a code is for; a code for one purpose never serves another. */
    public enum Purpose { LOGIN, PHONE_CHANGE_OLD, PHONE_CHANGE_NEW }

    /**
     * Rate limits and lifetimes (the defaults are what docs/app.md states). The per-address limit
     * is loose (60 an hour) because a campus's phones often share one NAT address.
     */
    public record Limits(Duration ttl, Duration minInterval, int perNumberPerHour, int perAddressPerHour,
                         int failuresPerCode, AttemptCounters.Policy wrongCodes) {
        public static Limits defaults() {
            return new Limits(Duration.ofMinutes(5), Duration.ofSeconds(60), 5, 60, 5,
                    new AttemptCounters.Policy(5, Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofHours(1)));
        }

        public Limits withPerAddressPerHour(int n) {
            return new Limits(ttl, minInterval, perNumberPerHour, n, failuresPerCode, wrongCodes);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(SmsCodes.class);
    private static final String WRONG_CODE = "sms-code";

    private final UnitOfWork uow;
    private final AttemptCounters attempts;
    private final SmsGateway gateway;
    private final byte[] hmacKey;
    private final Clock clock;
    private final Limits limits;
    private final SecureRandom random = new SecureRandom();

    /** {@code gateway} null = no SMS gateway configured: sending is refused SMS_UNAVAILABLE. */
    public SmsCodes(UnitOfWork uow, AttemptCounters attempts, SmsGateway gateway, byte[] hmacKey, Clock clock,
                    Limits limits) {
        this.uow = uow;
        this.attempts = attempts;
        this.gateway = gateway;
        this.hmacKey = hmacKey.clone();
        this.clock = clock;
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Sends a new code for {@code purpose} to {@code phone}; an earlier unused code for the same
     * purpose stops working. Refusals: SMS_TOO_SOON (with {@code retry_after_s}),
     * SMS_RATE_LIMITED, SMS_UNAVAILABLE.
     */
    public void send(String phone, Purpose purpose, String clientAddress) {
        if (gateway == null) {
            throw AppError.SMS_UNAVAILABLE.with("no SMS gateway is configured on this center (sms.gateway)");
        }
        String code = String.format("%06d", random.nextInt(1_000_000));
        uow.run("sending a code to a phone", tx -> {
            long now = clock.millis();
            // One sender at a time per number, so two requests cannot both pass the interval check.
            try (PreparedStatement p = tx.c().prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                p.setString(1, "sms:" + phone);
                p.executeQuery().close();
            }
            long last = 0;
            int lastHour = 0;
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT coalesce(max(sent_ms), 0), count(*) FILTER (WHERE sent_ms > ?) FROM sms_codes
                    WHERE phone = ? AND sent_ms > ?""")) {
                p.setLong(1, now - 3_600_000);
                p.setString(2, phone);
                p.setLong(3, now - 3_600_000);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    last = r.getLong(1);
                    lastHour = r.getInt(2);
                }
            }
            long wait = last + limits.minInterval().toMillis() - now;
            if (last > 0 && wait > 0) {
                long s = (wait + 999) / 1000;
                throw AppError.SMS_TOO_SOON.with("a code was sent to this number less than "
                        + limits.minInterval().toSeconds() + " s ago; try again in " + s + " s").detail("retry_after_s", s);
            }
            if (lastHour >= limits.perNumberPerHour()) {
                throw AppError.SMS_RATE_LIMITED.with("this number got " + lastHour + " codes in the last hour (at most "
                        + limits.perNumberPerHour() + ")");
            }
            try (PreparedStatement p = tx.c().prepareStatement(
                    "SELECT count(*) FROM sms_codes WHERE client_address = ? AND sent_ms > ?")) {
                p.setString(1, clientAddress);
                p.setLong(2, now - 3_600_000);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    if (r.getInt(1) >= limits.perAddressPerHour()) {
                        throw AppError.SMS_RATE_LIMITED.with("client address " + clientAddress + " asked for "
                                + r.getInt(1) + " codes in the last hour (at most " + limits.perAddressPerHour() + ")");
                    }
                }
            }
            try (PreparedStatement p = tx.c().prepareStatement("""
                    UPDATE sms_codes SET used_ms = ? WHERE phone = ? AND purpose = ? AND used_ms IS NULL""")) {
                p.setLong(1, now);
                p.setString(2, phone);
                p.setString(3, purpose.name());
                p.executeUpdate();
            }
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO sms_codes(phone, purpose, code_hash, client_address, sent_ms, expires_ms)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                p.setString(1, phone);
                p.setString(2, purpose.name());
                p.setBytes(3, mac(phone, purpose, code));
                p.setString(4, clientAddress);
                p.setLong(5, now);
                p.setLong(6, now + limits.ttl().toMillis());
                p.executeUpdate();
            }
            // Sent inside the transaction: a gateway failure leaves no code behind that nobody got.
            try {
                gateway.send(phone, "【一卡通】验证码 " + code + "，" + limits.ttl().toMinutes()
                        + " 分钟内有效，请勿告诉他人。Your campus card code is " + code + ".");
            } catch (IOException e) {
                log.warn("SMS gateway failed for a code ({}): {}", purpose, e.getMessage());
                throw AppError.SMS_UNAVAILABLE.with("the SMS gateway failed: " + e.getMessage());
            }
            return null;
        });
    }

    /**
     * Uses up the live code for {@code phone} and {@code purpose} when {@code code} is it.
     * Refusals: CODE_WRONG (with {@code attempts_left}), CODE_EXPIRED (no live code),
     * TOO_MANY_ATTEMPTS (back-off on this number).
     */
    public void verify(String phone, Purpose purpose, String code) {
        AttemptCounters.Attempt attempt = attempts.reserve(WRONG_CODE, phone, limits.wrongCodes(),
                "codes for this number");
        Boolean ok = uow.run("checking a code", tx -> {
            long now = clock.millis();
            long id;
            byte[] hash;
            int failures;
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT code_id, code_hash, failures FROM sms_codes
                    WHERE phone = ? AND purpose = ? AND used_ms IS NULL AND expires_ms > ?
                    ORDER BY sent_ms DESC LIMIT 1 FOR UPDATE""")) {
                p.setString(1, phone);
                p.setString(2, purpose.name());
                p.setLong(3, now);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        return null;
                    }
                    id = r.getLong(1);
                    hash = r.getBytes(2);
                    failures = r.getInt(3);
                }
            }
            boolean right = code != null && code.matches("\\d{6}") && MessageDigest.isEqual(hash, mac(phone, purpose, code));
            try (PreparedStatement p = tx.c().prepareStatement(right
                    ? "UPDATE sms_codes SET used_ms = ? WHERE code_id = ?"
                    : "UPDATE sms_codes SET failures = failures + 1, used_ms = CASE WHEN failures + 1 >= ? THEN ? END"
                    + " WHERE code_id = ?")) {
                if (right) {
                    p.setLong(1, now);
                    p.setLong(2, id);
                } else {
                    p.setInt(1, limits.failuresPerCode());
                    p.setLong(2, now);
                    p.setLong(3, id);
                }
                p.executeUpdate();
            }
            return right;
        });
        if (ok == null) {
            throw AppError.CODE_EXPIRED.with("no live " + purpose.name().toLowerCase(java.util.Locale.ROOT)
                    + " code for this number (codes last " + limits.ttl().toMinutes() + " min and work once)");
        }
        if (!ok) {
            throw AppError.CODE_WRONG.with("wrong code; " + attempt.remaining() + " attempts left before a wait")
                    .detail("attempts_left", attempt.remaining());
        }
        attempts.succeeded(attempt);
    }

    private byte[] mac(String phone, Purpose purpose, String code) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
            return m.doFinal((phone + "|" + purpose.name() + "|" + code).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
