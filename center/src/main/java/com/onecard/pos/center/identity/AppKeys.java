package com.onecard.pos.center.identity;

import com.onecard.pos.sync.keys.Hkdf;

import java.nio.charset.StandardCharsets;

/**
 * The keys the app service derives from its one token secret ({@code app.token-secret-file}), one
 * per use, so a value computed under one key (a JWT's MAC, an SMS code's HMAC) is never valid under
 * another: HKDF-SHA256 (RFC 5869) of the secret with an empty salt and the use as {@code info}.
 * Every instance sharing the secret derives the same keys. (The payment-code issuer key has its own
 * label in {@link com.onecard.pos.center.paycode.PaycodeIssuer}.)
 *
 * @param accessTokens 32 bytes: the HMAC-SHA256 key of access tokens and phone tickets (JWT HS256)
 * @param smsCodes     32 bytes: the HMAC-SHA256 key SMS login codes are stored under
 * @param refreshTokens 32 bytes: the HMAC-SHA256 key refresh tokens are derived under (a session's
 *                      salt and rotation generation; see {@link Sessions})
 */
public record AppKeys(byte[] accessTokens, byte[] smsCodes, byte[] refreshTokens) {
    static final String ACCESS_TOKENS = "onecard-app-access-tokens-v1";
    static final String SMS_CODES = "onecard-app-sms-codes-v1";
    static final String REFRESH_TOKENS = "onecard-app-refresh-tokens-v1";

    /**
     * @param secret the token secret, at least 32 bytes
     * @throws IllegalArgumentException when it is shorter
     */
    public static AppKeys derive(byte[] secret) {
        if (secret == null || secret.length < 32) {
            throw new IllegalArgumentException("the token secret must be at least 32 bytes, got "
                    + (secret == null ? 0 : secret.length));
        }
        return new AppKeys(key(secret, ACCESS_TOKENS), key(secret, SMS_CODES), key(secret, REFRESH_TOKENS));
    }

    private static byte[] key(byte[] secret, String use) {
        return Hkdf.derive(secret, new byte[0], use.getBytes(StandardCharsets.US_ASCII), 32);
    }
}
