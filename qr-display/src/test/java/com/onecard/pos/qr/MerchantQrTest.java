package com.onecard.pos.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MerchantQrTest {
    @Test
    void rebuildsWorkedExampleExactly() {
        String built = MerchantQr.builder()
                .canteenId("CANTEEN-N01")
                .amountFen(1250)
                .merchantName("NORTH CANTEEN")
                .city("BEIJING")
                .billNumber("S0001234")
                .referenceLabel("7Q2KX9MZ4T")
                .terminalLabel("POS03")
                .build();
        assertThat(built).isEqualTo(GoldenVectors.WORKED_EXAMPLE);
    }

    @Test
    void writesLanguageAndCampusTemplatesBeforeCrc() throws Exception {
        String built = MerchantQr.builder()
                .canteenId("C1").terminalId("T9").amountFen(5).merchantName("N").city("X")
                .billNumber("S1").terminalLabel("POS1")
                .alternateLanguage("ZH", "北区食堂", "北京")
                .campus("ABCDEFGHIJKLMNOP", 1_800_000_000L, "0123456789ABCDEF0123")
                .build();
        EmvPayload p = EmvQrParser.parse(built);
        assertThat(p.objects().keySet()).containsExactly("00", "01", "26", "52", "53", "54", "58", "59", "60", "62", "64", "80", "63");
        assertThat(p.get("01")).contains("12");
        assertThat(p.get("54")).contains("0.05");
        assertThat(p.get("64", "01")).contains("北区食堂");
        assertThat(p.get("80", "02")).contains("1800000000");
    }

    @Test
    void refusesOverlongMerchantName() {
        assertThatThrownBy(() -> MerchantQr.builder().canteenId("C").merchantName("X".repeat(26)).city("B").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag 59").hasMessageContaining("at most 25");
    }

    @Test
    void refusesTextOutsideTheAlphanumericSpecialSetInTags59And60() {
        assertThatThrownBy(() -> MerchantQr.builder().canteenId("C").merchantName("北区第一学生食堂").city("B").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag 59").hasMessageContaining("tag 64");
        assertThatThrownBy(() -> MerchantQr.builder().canteenId("C").merchantName("N").city("São Paulo").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag 60");
    }

    @Test
    void anEmptyAlternateCityIsLeftOutNotWrittenAsAnEmptyObject() throws Exception {
        String built = MerchantQr.builder().canteenId("C1").amountFen(5).merchantName("N").city("X")
                .alternateLanguage("ZH", "北区食堂", "").build();
        EmvPayload p = EmvQrParser.parse(built);
        assertThat(p.get("64", "01")).contains("北区食堂");
        assertThat(p.get("64", "02")).isEmpty();
        assertThat(built).doesNotContain("0200");
    }

    @Test
    void amountsUseIntegerFen() throws Exception {
        assertThat(Amounts.toDecimal(0)).isEqualTo("0.00");
        assertThat(Amounts.toDecimal(1250)).isEqualTo("12.50");
        assertThat(Amounts.toDecimal(100_007)).isEqualTo("1000.07");
        assertThat(Amounts.parseFen("1000.07")).isEqualTo(100_007);
        assertThatThrownBy(() -> Amounts.parseFen("1.5")).isInstanceOf(QrFormatException.class);
        assertThatThrownBy(() -> Amounts.toDecimal(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
