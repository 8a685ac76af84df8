package com.onecard.pos.qr;

import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * One sale to be paid by scanning. {@code random} is the token source: a
 * {@link java.security.SecureRandom} in production, a seeded generator in tests.
 * {@code terminalKey} is a secret and is never printed by {@link #toString()}.
 */
public record CampusQrRequest(String terminalId, String canteenId, String terminalLabel, String saleId,
                              long amountFen, String merchantName, String city, String merchantNameZh,
                              String cityZh, Instant expiresAt, byte[] terminalKey, RandomGenerator random) {

    @Override
    public String toString() {
        return "CampusQrRequest[terminalId=" + terminalId + ", canteenId=" + canteenId + ", saleId=" + saleId
                + ", amountFen=" + amountFen + ", expiresAt=" + expiresAt + "]";
    }
}
