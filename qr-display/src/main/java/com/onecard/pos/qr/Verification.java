package com.onecard.pos.qr;

import java.time.Instant;

/**
 * Outcome of {@link CampusQr#verify}. Fields are those read from the payload; they are null
 * (amount -1) when the payload could not be parsed that far. {@code detail} says why, for a log
 * line; it never contains key material.
 */
public record Verification(Result result, String terminalId, String canteenId, String saleId, long amountFen,
                           String token, Instant expiry, String merchantName, String detail) {

    public enum Result { OK, BAD_FORMAT, BAD_CRC, BAD_MAC, EXPIRED }

    public boolean ok() {
        return result == Result.OK;
    }

    static Verification failed(Result result, String detail) {
        return new Verification(result, null, null, null, -1, null, null, null, detail);
    }
}
