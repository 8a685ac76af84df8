package com.onecard.pos.qr;

import java.time.Instant;

/**
 * Creates and checks the campus system's dynamic payment codes.
 *
 * <p>A code carries the sale (terminal, canteen, sale id, amount) in standard EMVCo tags and,
 * in unreserved template 80, an unguessable token (80 random bits), the expiry and a MAC under
 * the terminal's key. {@link #verify} proves the code came from a terminal holding the key,
 * was not edited and has not expired. It cannot tell whether the code was already paid:
 * single use (replay protection) is enforced by the campus card center, which keeps one state
 * per token and accepts a payment for it at most once.
 */
public final class CampusQr {
    static final int TOKEN_BYTES = 10;

    /**
     * Builds the payload for one sale, drawing a fresh token from {@code req.random()}.
     *
     * @throws IllegalArgumentException when a field exceeds its EMVCo length limit or the key is
     *                                  shorter than 16 bytes
     */
    public String create(CampusQrRequest req) {
        byte[] raw = new byte[TOKEN_BYTES];
        req.random().nextBytes(raw);
        String token = Base32.encode(raw);
        long expiry = req.expiresAt().getEpochSecond();
        String mac = CampusMac.compute(req.terminalKey(), req.terminalId(), req.canteenId(), req.saleId(),
                req.amountFen(), token, expiry);
        MerchantQr qr = MerchantQr.builder()
                .canteenId(req.canteenId())
                .terminalId(req.terminalId())
                .amountFen(req.amountFen())
                .merchantName(req.merchantName())
                .city(req.city())
                .billNumber(req.saleId())
                .terminalLabel(req.terminalLabel())
                .campus(token, expiry, mac);
        if (req.merchantNameZh() != null) {
            qr.alternateLanguage("ZH", req.merchantNameZh(), req.cityZh());
        }
        return qr.build();
    }

    /** Checks format, CRC, MAC, then expiry (a code is valid strictly before its expiry). */
    public Verification verify(String payload, byte[] terminalKey, Instant now) {
        return verify(payload, CampusMac.key(terminalKey), now);
    }

    /** As {@link #verify(String, byte[], Instant)}, with a key object (e.g. one in a PKCS#11 token). */
    public Verification verify(String payload, javax.crypto.SecretKey terminalKey, Instant now) {
        EmvPayload p;
        try {
            p = EmvQrParser.parse(payload);
        } catch (QrCrcMismatchException e) {
            return Verification.failed(Verification.Result.BAD_CRC, e.getMessage());
        } catch (QrFormatException e) {
            return Verification.failed(Verification.Result.BAD_FORMAT, e.getMessage());
        }
        CampusFields f;
        try {
            f = CampusFields.of(p);
        } catch (QrFormatException e) {
            return Verification.failed(Verification.Result.BAD_FORMAT, e.getMessage());
        }
        String expected = CampusMac.compute(terminalKey, f.terminalId(), f.canteenId(), f.saleId(), f.amountFen(),
                f.token(), f.expiry().getEpochSecond());
        if (!CampusMac.matches(expected, f.mac())) {
            return f.result(Verification.Result.BAD_MAC, "MAC does not match for terminal " + f.terminalId());
        }
        if (!now.isBefore(f.expiry())) {
            return f.result(Verification.Result.EXPIRED, "expired at " + f.expiry() + ", now " + now);
        }
        return f.result(Verification.Result.OK, "ok");
    }
}
