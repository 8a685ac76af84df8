package com.onecard.pos.qr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

class EmvQrProperties {
    @Property(tries = 2000)
    void randomTextOnlyEverFailsWithFormatException(@ForAll @StringLength(max = 300) String text) {
        try {
            EmvQrParser.parse(text);
        } catch (QrFormatException expected) {
            assertThat(expected.getMessage()).contains("offset");
        }
    }

    @Property(tries = 2000)
    void tlvShapedNoiseOnlyEverFailsWithFormatException(@ForAll("tlvNoise") String text) {
        try {
            EmvQrParser.parse(text);
        } catch (QrFormatException expected) {
            assertThat(expected.offset()).isBetween(0, text.codePointCount(0, text.length()));
        }
    }

    @Property(tries = 500)
    void mutatedGoldenVectorsOnlyEverFailWithFormatException(@ForAll("mutations") String text) {
        try {
            EmvQrParser.parse(text);
        } catch (QrFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void campusCodesRoundTrip(@ForAll @LongRange(min = 0, max = 99_999_999L) long amountFen,
                              @ForAll("ids") String terminalId, @ForAll("ids") String canteenId,
                              @ForAll("ids") String saleId, @ForAll long seed) {
        byte[] key = new byte[32];
        new SplittableRandom(seed).nextBytes(key);
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        CampusQr qr = new CampusQr();
        String payload = qr.create(new CampusQrRequest(terminalId, canteenId, "POS", saleId, amountFen, "CANTEEN",
                "CITY", "食堂", "城市", now.plusSeconds(60), key, new SplittableRandom(seed)));
        Verification v = qr.verify(payload, key, now);
        assertThat(v.result()).isEqualTo(Verification.Result.OK);
        assertThat(v.amountFen()).isEqualTo(amountFen);
        assertThat(v.terminalId()).isEqualTo(terminalId);
        assertThat(v.canteenId()).isEqualTo(canteenId);
        assertThat(v.saleId()).isEqualTo(saleId);
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().withChars("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-").ofMinLength(1).ofMaxLength(25);
    }

    @Provide
    Arbitrary<String> tlvNoise() {
        Arbitrary<String> obj = Arbitraries.strings().withChars("0123456789AZ中 ").ofMaxLength(8)
                .flatMap(v -> Arbitraries.integers().between(0, 12)
                        .map(len -> String.format("%02d%02d", len % 100, len) + v));
        return obj.list().ofMaxSize(8).map(l -> "000201" + String.join("", l) + "6304");
    }

    @Provide
    Arbitrary<String> mutations() {
        Arbitrary<String> base = Arbitraries.of(GoldenVectors.WORKED_EXAMPLE, GoldenVectors.CHINESE_VECTOR);
        return base.flatMap(s -> Arbitraries.integers().between(0, s.length() - 1)
                .flatMap(i -> Arbitraries.chars().range('/', ':')
                        .map(c -> s.substring(0, i) + c + s.substring(i + 1))));
    }
}
