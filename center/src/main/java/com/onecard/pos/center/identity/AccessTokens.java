package com.onecard.pos.center.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;

/**
 * Short-lived access tokens: JWTs signed with HMAC-SHA256 (nimbus-jose-jwt) under a secret that
 * every center instance shares, naming the user, the session and the device. A token alone
 * proves nothing more than who logged in when; the session it names must still be live
 * ({@link Sessions}), which is what makes logout, a phone change and the card office's revoke
 * immediate.
 */
public final class AccessTokens {
    /** What a valid token says. */
    public record Claims(long userId, long sessionId, String deviceId) {
    }

    /** The token is malformed, forged or expired; {@code expired} tells the last apart. */
    public static final class Invalid extends Exception {
        public final boolean expired;

        Invalid(String message, boolean expired) {
            super(message);
            this.expired = expired;
        }
    }

    private static final String ISSUER = "onecard-center";
    private static final String ACCESS = "app";
    private static final String PHONE_TICKET = "phone-ticket";
    private static final int MIN_SECRET_BYTES = 32;

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Clock clock;
    private final Duration ttl;

    /**
     * @param secret at least 32 bytes, the same on every instance
     * @param ttl    how long an access token lives (minutes, not hours)
     */
    public AccessTokens(byte[] secret, Clock clock, Duration ttl) {
        Objects.requireNonNull(secret, "token secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("token secret must be at least " + MIN_SECRET_BYTES + " bytes, got "
                    + secret.length);
        }
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("token secret refused: " + e.getMessage(), e);
        }
        this.clock = clock;
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    public String issue(long userId, long sessionId, String deviceId) {
        long now = clock.millis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(ACCESS)
                .subject(Long.toString(userId))
                .claim("sid", sessionId)
                .claim("dev", deviceId)
                .issueTime(new Date(now))
                .expirationTime(new Date(now + ttl.toMillis()))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing an access token", e);
        }
        return jwt.serialize();
    }

    public Claims verify(String token) throws Invalid {
        JWTClaimsSet c = check(token, ACCESS);
        try {
            Long sid = c.getLongClaim("sid");
            String dev = c.getStringClaim("dev");
            if (sid == null || dev == null) {
                throw new Invalid("token lacks session or device", false);
            }
            return new Claims(Long.parseLong(c.getSubject()), sid, dev);
        } catch (ParseException | NumberFormatException e) {
            throw new Invalid("token unreadable", false);
        }
    }

    /**
     * A phone ticket: proof, for {@code ttl}, that {@code deviceId} just entered the right code
     * for {@code phone}; the identity login that binds the phone to an account asks for it.
     */
    public String issuePhoneTicket(String phone, String deviceId, Duration ticketTtl) {
        long now = clock.millis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(PHONE_TICKET)
                .subject(phone)
                .claim("dev", deviceId)
                .issueTime(new Date(now))
                .expirationTime(new Date(now + ticketTtl.toMillis()))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a phone ticket", e);
        }
        return jwt.serialize();
    }

    /** The phone a ticket proves for {@code deviceId}; Invalid when forged, expired or from another device. */
    public String verifyPhoneTicket(String ticket, String deviceId) throws Invalid {
        JWTClaimsSet c = check(ticket, PHONE_TICKET);
        try {
            if (!deviceId.equals(c.getStringClaim("dev"))) {
                throw new Invalid("phone ticket belongs to another device", false);
            }
        } catch (ParseException e) {
            throw new Invalid("phone ticket unreadable", false);
        }
        return c.getSubject();
    }

    private JWTClaimsSet check(String token, String audience) throws Invalid {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new Invalid("not a signed token", false);
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new Invalid("token algorithm " + jwt.getHeader().getAlgorithm() + " is not accepted", false);
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new Invalid("token signature does not verify", false);
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            if (!ISSUER.equals(c.getIssuer()) || c.getExpirationTime() == null || c.getSubject() == null
                    || c.getAudience() == null || !c.getAudience().equals(java.util.List.of(audience))) {
                throw new Invalid("token lacks issuer, subject or expiry, or is not meant for this use", false);
            }
            if (!clock.instant().isBefore(c.getExpirationTime().toInstant())) {
                throw new Invalid("token expired at " + c.getExpirationTime().toInstant(), true);
            }
            return c;
        } catch (JOSEException | ParseException e) {
            throw new Invalid("token unreadable", false);
        }
    }
}
