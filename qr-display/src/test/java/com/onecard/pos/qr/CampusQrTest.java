package com.onecard.pos.qr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CampusQrTest {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private final CampusQr qr = new CampusQr();

    static CampusQrRequest request(long amountFen) {
        return new CampusQrRequest("T-0042", "CANTEEN-N01", "POS03", "S0001234", amountFen, "NORTH CANTEEN",
                "BEIJING", "北区食堂", "北京", NOW.plusSeconds(90), KEY, new SplittableRandom(7));
    }

    @Test
    void createdCodeVerifiesWithItsFields() {
        String payload = qr.create(request(1250));
        Verification v = qr.verify(payload, KEY, NOW);
        assertThat(v.result()).isEqualTo(Verification.Result.OK);
        assertThat(v.terminalId()).isEqualTo("T-0042");
        assertThat(v.canteenId()).isEqualTo("CANTEEN-N01");
        assertThat(v.saleId()).isEqualTo("S0001234");
        assertThat(v.amountFen()).isEqualTo(1250);
        assertThat(v.expiry()).isEqualTo(NOW.plusSeconds(90));
        assertThat(v.merchantName()).isEqualTo("NORTH CANTEEN");
        assertThat(v.token()).hasSize(16).matches("[A-Z2-7]{16}");
    }

    @Test
    void macIsTwentyUppercaseHexDigits() throws Exception {
        EmvPayload p = EmvQrParser.parse(qr.create(request(1250)));
        assertThat(p.get("80", "03").orElseThrow()).matches("[0-9A-F]{20}");
    }

    @Test
    void editedAmountWithFixedCrcIsBadMac() {
        String payload = qr.create(request(1250));
        String edited = withCrc(payload.replace("540512.50", "54041.50"));
        Verification v = qr.verify(edited, KEY, NOW);
        assertThat(v.result()).isEqualTo(Verification.Result.BAD_MAC);
        assertThat(v.amountFen()).isEqualTo(150);
    }

    @Test
    void editedAmountWithoutCrcIsBadCrc() {
        String edited = qr.create(request(1250)).replace("540512.50", "540519.50");
        assertThat(qr.verify(edited, KEY, NOW).result()).isEqualTo(Verification.Result.BAD_CRC);
    }

    @Test
    void forgedMacIsBadMac() throws Exception {
        String payload = qr.create(request(1250));
        String mac = EmvQrParser.parse(payload).get("80", "03").orElseThrow();
        String forged = withCrc(payload.replace(mac, "00000000000000000000"));
        assertThat(qr.verify(forged, KEY, NOW).result()).isEqualTo(Verification.Result.BAD_MAC);
    }

    @Test
    void otherTerminalKeyIsBadMac() {
        byte[] other = "ffffffffffffffffffffffffffffffff".getBytes();
        assertThat(qr.verify(qr.create(request(1250)), other, NOW).result()).isEqualTo(Verification.Result.BAD_MAC);
    }

    @Test
    void expiredAtAndAfterExpiry() {
        String payload = qr.create(request(1250));
        assertThat(qr.verify(payload, KEY, NOW.plusSeconds(89)).result()).isEqualTo(Verification.Result.OK);
        Verification v = qr.verify(payload, KEY, NOW.plusSeconds(90));
        assertThat(v.result()).isEqualTo(Verification.Result.EXPIRED);
        assertThat(v.saleId()).isEqualTo("S0001234");
    }

    @Test
    void garbageAndForeignCodesAreBadFormat() {
        assertThat(qr.verify("not a qr", KEY, NOW).result()).isEqualTo(Verification.Result.BAD_FORMAT);
        assertThat(qr.verify(GoldenVectors.WORKED_EXAMPLE, KEY, NOW).result()).isEqualTo(Verification.Result.BAD_FORMAT);
        assertThat(qr.verify(GoldenVectors.CHINESE_VECTOR, KEY, NOW).result()).isEqualTo(Verification.Result.BAD_FORMAT);
    }

    @Test
    void tokensDifferPerCode() throws Exception {
        SplittableRandom random = new SplittableRandom(1);
        CampusQrRequest r = request(1250);
        CampusQrRequest a = new CampusQrRequest(r.terminalId(), r.canteenId(), r.terminalLabel(), r.saleId(), 1250,
                r.merchantName(), r.city(), null, null, r.expiresAt(), KEY, random);
        String t1 = EmvQrParser.parse(qr.create(a)).get("80", "01").orElseThrow();
        String t2 = EmvQrParser.parse(qr.create(a)).get("80", "01").orElseThrow();
        assertThat(t1).isNotEqualTo(t2);
    }

    @Test
    void withoutChineseNamesPayloadStaysAlphanumeric() {
        CampusQrRequest r = request(1250);
        CampusQrRequest ascii = new CampusQrRequest(r.terminalId(), r.canteenId(), r.terminalLabel(), r.saleId(), 1250,
                r.merchantName(), r.city(), null, null, r.expiresAt(), KEY, r.random());
        assertThat(qr.create(ascii)).matches("[0-9A-Z $%*+\\-./:]+");
    }

    @Test
    void requestToStringHidesKey() {
        assertThat(request(1).toString()).doesNotContain("terminalKey").doesNotContain("0123456789abcdef");
    }

    static String withCrc(String payload) {
        String body = payload.substring(0, payload.length() - 4);
        return body + Crc16Ccitt.hex(body);
    }
}
