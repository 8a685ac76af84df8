package com.onecard.pos.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmvQrParserTest {
    @Test
    void parsesWorkedExample() throws Exception {
        EmvPayload p = EmvQrParser.parse(GoldenVectors.WORKED_EXAMPLE);
        assertThat(p.objects().keySet()).containsExactly("00", "01", "26", "52", "53", "54", "58", "59", "60", "62", "63");
        assertThat(p.get("26", "00")).contains("CN.EDU.CAMPUSPAY");
        assertThat(p.get("26", "01")).contains("CANTEEN-N01");
        assertThat(p.get("54")).contains("12.50");
        assertThat(p.get("59")).contains("NORTH CANTEEN");
        assertThat(p.get("62", "01")).contains("S0001234");
        assertThat(p.get("62", "05")).contains("7Q2KX9MZ4T");
        assertThat(p.get("62", "07")).contains("POS03");
        assertThat(p.get("63")).contains("81EF");
    }

    @Test
    void parsesChineseVector() throws Exception {
        EmvPayload p = EmvQrParser.parse(GoldenVectors.CHINESE_VECTOR);
        assertThat(p.get("64", "00")).contains("ZH");
        assertThat(p.get("64", "01")).contains("最佳运输");
        assertThat(p.get("64", "02")).contains("北京");
        assertThat(p.get("54")).contains("23.72");
        assertThat(p.get("62", "06")).contains("***");
        assertThat(p.get("91", "07")).contains("12345678");
        assertThat(p.get("29", "00")).contains("D15600000000");
        assertThat(p.get("63")).contains("A13A");
    }

    @Test
    void crcMismatchNamesExpectedAndFound() {
        String bad = GoldenVectors.WORKED_EXAMPLE.replace("12.50", "92.50");
        assertThatThrownBy(() -> EmvQrParser.parse(bad))
                .isInstanceOf(QrCrcMismatchException.class)
                .hasMessageContaining("found 81EF")
                .hasMessageContaining("expected " + Crc16Ccitt.hex(bad.substring(0, bad.length() - 4)))
                .hasMessageContaining("tag 63");
    }

    @Test
    void badLengthNamesOffsetAndTag() {
        String bad = "000201" + "5999AB" + "6304" + "0000";
        assertThatThrownBy(() -> EmvQrParser.parse(bad))
                .isInstanceOf(QrFormatException.class)
                .hasMessageContaining("bad length 99 for tag 59")
                .hasMessageContaining("offset 6");
    }

    @Test
    void badLengthInsideTemplateNamesTemplate() {
        String body = "000201" + "26060099AB" + "6304";
        QrFormatException e = catchFormat(body + Crc16Ccitt.hex(body));
        assertThat(e).hasMessageContaining("inside template 26");
        assertThat(e.offset()).isEqualTo(10);
    }

    @Test
    void payloadMustStartWith00() {
        String body = "0102120002016304";
        QrFormatException e = catchFormat(body + Crc16Ccitt.hex(body));
        assertThat(e).hasMessageContaining("00 must come first");
        assertThat(e.tag()).isEqualTo("01");
    }

    @Test
    void payloadMustEndWith63() {
        String body = "000201" + "6304ABCD" + "5802CN";
        QrFormatException e = catchFormat(body);
        assertThat(e).hasMessageContaining("63 must come last");
        assertThat(e.offset()).isEqualTo(14);
    }

    @Test
    void duplicateIdIsRefused() {
        String body = "000201" + "5802CN" + "5802CN" + "6304";
        QrFormatException e = catchFormat(body + Crc16Ccitt.hex(body));
        assertThat(e).hasMessageContaining("duplicate ID 58");
        assertThat(e.offset()).isEqualTo(12);
    }

    @Test
    void emptyAndGarbageAreFormatErrors() {
        assertThat(catchFormat("")).hasMessageContaining("empty");
        assertThat(catchFormat("hello")).hasMessageContaining("non-digit");
        assertThat(catchFormat("00")).hasMessageContaining("truncated");
    }

    private static QrFormatException catchFormat(String payload) {
        try {
            EmvQrParser.parse(payload);
        } catch (QrFormatException e) {
            return e;
        }
        throw new AssertionError("parsed: " + payload);
    }
}
