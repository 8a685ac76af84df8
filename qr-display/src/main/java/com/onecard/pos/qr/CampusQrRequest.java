package com.onecard.pos.qr;

import javax.crypto.SecretKey;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * One sale to be paid by scanning. {@code random} is the token source: a
 * {@link java.security.SecureRandom} in production, a seeded generator in tests.
 * {@code terminalKey} is the terminal's QR key, in memory or a key object that stays in its
 * PKCS#11 token; it is never printed by {@link #toString()}.
 */
public record CampusQrRequest(String terminalId, String canteenId, String terminalLabel, String saleId,
                              long amountFen, String merchantName, String city, String merchantNameZh,
                              String cityZh, Instant expiresAt, SecretKey terminalKey, RandomGenerator random) {

    /** With the key's bytes (at least 16). */
    public CampusQrRequest(String terminalId, String canteenId, String terminalLabel, String saleId,
                           long amountFen, String merchantName, String city, String merchantNameZh,
                           String cityZh, Instant expiresAt, byte[] terminalKey, RandomGenerator random) {
        this(terminalId, canteenId, terminalLabel, saleId, amountFen, merchantName, city, merchantNameZh, cityZh,
                expiresAt, CampusMac.key(terminalKey), random);
    }

    @Override
    public String toString() {
        return "CampusQrRequest[terminalId=" + terminalId + ", canteenId=" + canteenId + ", saleId=" + saleId
                + ", amountFen=" + amountFen + ", expiresAt=" + expiresAt + "]";
    }
}
