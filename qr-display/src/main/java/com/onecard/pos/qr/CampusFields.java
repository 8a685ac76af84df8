package com.onecard.pos.qr;

import java.time.Instant;

/** The fields of a campus code, pulled out of a parsed payload with their presence checked. */
record CampusFields(String terminalId, String canteenId, String saleId, long amountFen, String token,
                    Instant expiry, String mac, String merchantName) {

    static CampusFields of(EmvPayload p) throws QrFormatException {
        String guid = need(p, "26", "00");
        if (!MerchantQr.CAMPUS_GUID.equals(guid) || !MerchantQr.CAMPUS_GUID.equals(need(p, "80", "00"))) {
            throw new QrFormatException("not a campus payment code (GUID " + guid + ")", 0, "26");
        }
        String amount = p.get("54").orElseThrow(() -> new QrFormatException("amount 54 missing", 0, "54"));
        String expiryText = need(p, "80", "02");
        if (!expiryText.matches("[0-9]{1,12}")) {
            throw new QrFormatException("bad expiry '" + expiryText + "'", 0, "80");
        }
        return new CampusFields(need(p, "26", "02"), need(p, "26", "01"), need(p, "62", "01"),
                Amounts.parseFen(amount), need(p, "80", "01"), Instant.ofEpochSecond(Long.parseLong(expiryText)),
                need(p, "80", "03"), p.get("59").orElse(null));
    }

    Verification result(Verification.Result result, String detail) {
        return new Verification(result, terminalId, canteenId, saleId, amountFen, token, expiry, merchantName, detail);
    }

    private static String need(EmvPayload p, String template, String sub) throws QrFormatException {
        return p.get(template, sub)
                .orElseThrow(() -> new QrFormatException("missing " + template + "/" + sub, 0, template));
    }
}
