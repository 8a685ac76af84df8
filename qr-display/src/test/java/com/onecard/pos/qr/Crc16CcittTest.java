package com.onecard.pos.qr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Crc16CcittTest {
    @Test
    void checkValue() {
        assertThat(Crc16Ccitt.compute("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x29B1);
        assertThat(Crc16Ccitt.hex("123456789")).isEqualTo("29B1");
    }

    @Test
    void workedExampleCrc() {
        String p = GoldenVectors.WORKED_EXAMPLE;
        assertThat(Crc16Ccitt.hex(p.substring(0, p.length() - 4))).isEqualTo("81EF");
    }

    @Test
    void chineseVectorCrcIsOverUtf8() {
        String p = GoldenVectors.CHINESE_VECTOR;
        assertThat(Crc16Ccitt.hex(p.substring(0, p.length() - 4))).isEqualTo("A13A");
    }

    @Test
    void hexIsPaddedToFourDigits() {
        assertThat(Crc16Ccitt.toHex(0x1F)).isEqualTo("001F");
    }
}
