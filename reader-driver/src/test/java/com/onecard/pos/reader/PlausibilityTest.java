package com.onecard.pos.reader;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class PlausibilityTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void realTagNumbersPass() {
        for (String tag : new String[]{"307E4DE5C2", "1F00644BB6", "0100ABCDEF", "0000123456", "3100A05D91"}) {
            assertThat(Plausibility.rdm6300(hex(tag))).as(tag).isNull();
        }
        for (String uid : new String[]{"901F2AA4", "04A1B2C3", "08123456", "04112233445566"}) {
            assertThat(Plausibility.iso14443a(hex(uid))).as(uid).isNull();
        }
    }

    @Test
    void phantomsAndImpossibleUidsAreNamed() {
        assertThat(Plausibility.rdm6300(hex("0000000000"))).contains("tag number 0");
        assertThat(Plausibility.rdm6300(hex("1F00000000"))).contains("tag number 0");
        assertThat(Plausibility.rdm6300(hex("B59A99E5A9"))).contains("no tag present");
        assertThat(Plausibility.rdm6300(hex("0A0000007B"))).contains("zero digits");
        assertThat(Plausibility.iso14443a(hex("88040506"))).contains("cascade tag");
        assertThat(Plausibility.iso14443a(hex("FFFFFFFFFFFFFF"))).contains("FF");
        assertThat(Plausibility.iso14443a(hex("0102030405"))).contains("5 bytes");
    }
}
