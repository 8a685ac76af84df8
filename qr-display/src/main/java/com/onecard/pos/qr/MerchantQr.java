package com.onecard.pos.qr;

/**
 * Builds a merchant-presented payload in one fixed order: 00, 01, 26, 52, 53, 54, 58, 59, 60,
 * 62, 64, 80, 63. Optional parts (terminal id in 26, amount, reference label, the language
 * and campus templates) are left out when unset, which lets the builder reproduce codes that
 * lack them. Lengths are checked against the EMVCo limits so a bad field fails here, not at
 * the scanner.
 */
public final class MerchantQr {
    public static final String CAMPUS_GUID = "CN.EDU.CAMPUSPAY";

    private String guid = CAMPUS_GUID;
    private boolean dynamic = true;
    private String canteenId;
    private String terminalId;
    private String categoryCode = "5812";
    private String currency = "156";
    private Long amountFen;
    private String country = "CN";
    private String merchantName;
    private String city;
    private String billNumber;
    private String referenceLabel;
    private String terminalLabel;
    private String languagePreference;
    private String merchantNameAlt;
    private String cityAlt;
    private String campusToken;
    private Long campusExpiryEpochSeconds;
    private String campusMac;

    public static MerchantQr builder() {
        return new MerchantQr();
    }

    /** Dynamic (01=12, one code per sale) is the default; static codes use 11. */
    public MerchantQr dynamic(boolean dynamic) {
        this.dynamic = dynamic;
        return this;
    }

    public MerchantQr guid(String guid) {
        this.guid = guid;
        return this;
    }

    public MerchantQr canteenId(String canteenId) {
        this.canteenId = canteenId;
        return this;
    }

    public MerchantQr terminalId(String terminalId) {
        this.terminalId = terminalId;
        return this;
    }

    public MerchantQr categoryCode(String mcc) {
        this.categoryCode = mcc;
        return this;
    }

    public MerchantQr currency(String iso4217Numeric) {
        this.currency = iso4217Numeric;
        return this;
    }

    public MerchantQr amountFen(long fen) {
        this.amountFen = fen;
        return this;
    }

    public MerchantQr country(String country) {
        this.country = country;
        return this;
    }

    public MerchantQr merchantName(String name) {
        this.merchantName = name;
        return this;
    }

    public MerchantQr city(String city) {
        this.city = city;
        return this;
    }

    /** Tag 62/01; the campus system puts the sale id here. */
    public MerchantQr billNumber(String billNumber) {
        this.billNumber = billNumber;
        return this;
    }

    public MerchantQr referenceLabel(String referenceLabel) {
        this.referenceLabel = referenceLabel;
        return this;
    }

    public MerchantQr terminalLabel(String terminalLabel) {
        this.terminalLabel = terminalLabel;
        return this;
    }

    /** Tag 64: language (e.g. ZH) with the merchant name and city in that language. */
    public MerchantQr alternateLanguage(String language, String merchantName, String city) {
        this.languagePreference = language;
        this.merchantNameAlt = merchantName;
        this.cityAlt = city;
        return this;
    }

    /** Tag 80: the campus token, its expiry and the terminal's MAC over the sale. */
    public MerchantQr campus(String token, long expiryEpochSeconds, String mac) {
        this.campusToken = token;
        this.campusExpiryEpochSeconds = expiryEpochSeconds;
        this.campusMac = mac;
        return this;
    }

    /**
     * The payload text.
     *
     * @throws IllegalArgumentException naming the EMVCo tag, when a field is missing, longer than
     *                                  the tag allows, or holds a character outside the tag's
     *                                  format (ans: printable ASCII; S: any text but control
     *                                  characters)
     */
    public String build() {
        StringBuilder sb = new StringBuilder(320);
        EmvTlv.write(sb, "00", "01");
        EmvTlv.write(sb, "01", dynamic ? "12" : "11");
        StringBuilder account = new StringBuilder();
        EmvTlv.write(account, "00", require(guid, "26/00 (globally unique identifier)", 32, Format.ANS));
        EmvTlv.write(account, "01", require(canteenId, "26/01 (canteen id)", 25, Format.ANS));
        if (terminalId != null) {
            EmvTlv.write(account, "02", require(terminalId, "26/02 (terminal id)", 25, Format.ANS));
        }
        EmvTlv.write(sb, "26", account.toString());
        EmvTlv.write(sb, "52", require(categoryCode, "52 (merchant category code)", 4, Format.N));
        EmvTlv.write(sb, "53", require(currency, "53 (currency)", 3, Format.N));
        if (amountFen != null) {
            EmvTlv.write(sb, "54", Amounts.toDecimal(amountFen));
        }
        EmvTlv.write(sb, "58", require(country, "58 (country)", 2, Format.ANS));
        EmvTlv.write(sb, "59", require(merchantName, "59 (merchant name)", 25, Format.ANS));
        EmvTlv.write(sb, "60", require(city, "60 (merchant city)", 15, Format.ANS));
        StringBuilder additional = new StringBuilder();
        optional(additional, "01", billNumber, "62/01 (bill number)");
        optional(additional, "05", referenceLabel, "62/05 (reference label)");
        optional(additional, "07", terminalLabel, "62/07 (terminal label)");
        if (additional.length() > 0) {
            EmvTlv.write(sb, "62", additional.toString());
        }
        if (languagePreference != null) {
            StringBuilder lang = new StringBuilder();
            EmvTlv.write(lang, "00", require(languagePreference, "64/00 (language preference)", 2, Format.ANS));
            EmvTlv.write(lang, "01", require(merchantNameAlt, "64/01 (merchant name, alternate language)", 25, Format.S));
            if (cityAlt != null && !cityAlt.isEmpty()) {
                EmvTlv.write(lang, "02", require(cityAlt, "64/02 (merchant city, alternate language)", 15, Format.S));
            }
            EmvTlv.write(sb, "64", lang.toString());
        }
        if (campusToken != null) {
            StringBuilder campus = new StringBuilder();
            EmvTlv.write(campus, "00", CAMPUS_GUID);
            EmvTlv.write(campus, "01", require(campusToken, "80/01 (campus token)", 32, Format.ANS));
            EmvTlv.write(campus, "02", Long.toString(campusExpiryEpochSeconds));
            EmvTlv.write(campus, "03", require(campusMac, "80/03 (campus MAC)", 32, Format.ANS));
            EmvTlv.write(sb, "80", campus.toString());
        }
        sb.append("6304");
        return sb.append(Crc16Ccitt.hex(sb)).toString();
    }

    /**
     * EMV QRCPS data formats (Merchant-Presented Mode v1.1 §1.4): N digits; ans the Common
     * Character Set of EMV Book 4 Annex B (printable ASCII 0x20-0x7E); S any Unicode text,
     * its length counted in characters.
     */
    enum Format { N, ANS, S }

    private static void optional(StringBuilder sb, String id, String value, String tag) {
        if (value != null) {
            EmvTlv.write(sb, id, require(value, tag, 25, Format.ANS));
        }
    }

    private static String require(String value, String tag, int max, Format format) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("EMVCo tag " + tag + " is required");
        }
        int len = value.codePointCount(0, value.length());
        if (len > max) {
            throw new IllegalArgumentException("EMVCo tag " + tag + " is " + len + " characters, at most " + max);
        }
        int[] cps = value.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            boolean ok = switch (format) {
                case N -> c >= '0' && c <= '9';
                case ANS -> c >= 0x20 && c <= 0x7E;
                case S -> !Character.isISOControl(c);
            };
            if (!ok) {
                throw new IllegalArgumentException("EMVCo tag " + tag + ": character " + (i + 1) + " (U+"
                        + String.format("%04X", c) + ") is outside its format " + format
                        + (format == Format.ANS ? " (printable ASCII; put Chinese names in tag 64)" : ""));
            }
        }
        return value;
    }
}
