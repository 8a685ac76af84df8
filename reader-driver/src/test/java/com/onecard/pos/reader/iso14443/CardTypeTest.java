package com.onecard.pos.reader.iso14443;

import com.onecard.pos.reader.CardTap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Card names from ATQA and SAK as NXP AN10833 lists them, plus the second sources seen in the field. */
class CardTypeTest {
    @ParameterizedTest(name = "ATQA {0} SAK {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "0004 | 08 | MIFARE Classic 1K",
            "0044 | 08 | MIFARE Classic 1K (7-byte UID)",
            "0002 | 18 | MIFARE Classic 4K",
            "0042 | 18 | MIFARE Classic 4K (7-byte UID)",
            "0004 | 09 | MIFARE Mini 0.3K",
            "0044 | 00 | MIFARE Ultralight",
            "0004 | 10 | MIFARE Plus 2K in security level 2",
            "0004 | 11 | MIFARE Plus 4K in security level 2",
            "0004 | 20 | MIFARE Plus 2K/4K in security level 3",
            "0344 | 20 | MIFARE DESFire (EV1/EV2/EV3)",
            "0004 | 28 | SmartMX with MIFARE Classic 1K emulation",
            "0002 | 38 | SmartMX with MIFARE Classic 4K emulation",
            "0F01 | 01 | TNP3xxx (MIFARE Classic protocol)",
            "0004 | 88 | MIFARE Classic 1K by Infineon (SLE66R35, second source)",
            "0002 | 98 | Gemplus MPCOS (second source, MIFARE Classic 4K protocol)",
            "0048 | 20 | ISO/IEC 14443-4 smart card (SmartMX, JCOP, ...)",
            "0004 | 53 | unknown ISO/IEC 14443-A card",
    })
    void namesTheCardAsTheApplicationNoteDoes(String atqa, String sak, String name) {
        var id = CardType.identify(Integer.parseInt(atqa, 16), Integer.parseInt(sak, 16));
        assertThat(id.name()).isEqualTo(name);
        assertThat(id.atqa()).isEqualTo(atqa);
        assertThat(id.sak()).isEqualTo(sak);
    }

    @Test
    void classicAndPlusInLevel1CannotBeToldApartSoBothAreCandidates() {
        assertThat(CardType.identify(0x0004, 0x08).candidates())
                .containsExactly("MIFARE Classic 1K", "MIFARE Plus 2K in security level 1");
        assertThat(CardType.identify(0x0044, 0x00).candidates()).contains("MIFARE Ultralight C", "NTAG 21x");
    }

    @Test
    void theBitsAreExplained() {
        var desfire = CardType.identify(0x0344, 0x20);
        assertThat(desfire.uidSize()).isEqualTo("double (7 bytes)");
        assertThat(desfire.facts()).contains("SAK bit 6: ISO/IEC 14443-4 compliant");
        assertThat(CardType.identify(0x0004, 0x04).facts()).contains("SAK bit 3: UID not complete (cascade level follows)");
        assertThat(CardType.identify(0x0002, 0x18).facts()).anyMatch(f -> f.contains("4K family"));
        assertThat(CardType.identify(0x0004, 0x08).uidSize()).isEqualTo("single (4 bytes)");
    }

    @Test
    void sakAndAtqaAreAlwaysHexNeverDecimal() {
        var id = CardType.identify(0x0002, 0x20);
        assertThat(id.sak()).isEqualTo("20");
        assertThat(id.summary()).contains("SAK 0x20").contains("ATQA 0x0002").doesNotContain("32");
    }

    @Test
    void a125kHzTagIsNamedAsSuch() {
        var tap = new CardTap(new byte[]{0x30, 0x7E, 0x4D, (byte) 0xE5, (byte) 0xC2}, 0, 0, CardTap.CampusRead.NOT_ATTEMPTED,
                new byte[0], Instant.EPOCH);
        assertThat(CardType.of(tap).name()).isEqualTo("EM4100 125 kHz tag (UID only)");
    }
}
