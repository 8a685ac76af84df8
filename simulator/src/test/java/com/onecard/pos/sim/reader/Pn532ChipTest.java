package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.card.CardData;
import com.onecard.pos.reader.pn532.Pn532Frame;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The emulated chip's answers, frame in, frame out, against the reference vectors. */
class Pn532ChipTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();
    private static final DevCards CARDS = ReaderOnEmulatorIT.CARDS;

    private final Pn532Chip chip = new Pn532Chip();

    @BeforeEach
    void wake() {
        chip.wake();
    }

    private String ask(String commandHex) {
        Pn532Frame f = chip.handle(Pn532Frame.data(Pn532Frame.TFI_HOST, HEX.parseHex(commandHex)));
        return f == null ? null : HEX.formatHex(f.encode());
    }

    @Test
    void answersTheReferenceVectors() {
        assertThat(ask("02")).isEqualTo("00 00 FF 06 FA D5 03 32 01 06 07 E8 00");
        assertThat(ask("14 01")).isEqualTo("00 00 FF 02 FE D5 15 16 00");
        assertThat(ask("4A 01 00")).isEqualTo("00 00 FF 03 FD D5 4B 00 E0 00");
        chip.place(VirtualCard.blank("901F2AA4"));
        assertThat(ask("4A 01 00")).isEqualTo("00 00 FF 0C F4 D5 4B 01 01 00 04 08 04 90 1F 2A A4 51 00");
        assertThat(ask("40 01 60 07 FF FF FF FF FF FF 90 1F 2A A4")).isEqualTo("00 00 FF 03 FD D5 41 00 EA 00");
        assertThat(ask("52 00")).isEqualTo("00 00 FF 03 FD D5 53 00 D8 00");
    }

    @Test
    void sleepsUntilWokenAndAfterPowerDown() {
        Pn532Chip cold = new Pn532Chip();
        assertThat(cold.handle(Pn532Frame.command(0x02))).isNull();
        cold.wake();
        assertThat(cold.handle(Pn532Frame.command(0x02))).isNotNull();
        assertThat(cold.handle(Pn532Frame.command(0x16, (byte) 0xF0)).body()).containsExactly(0);
        assertThat(cold.handle(Pn532Frame.command(0x02))).isNull();
    }

    @Test
    void wrongKeyIsRefusedAndHaltsTheCardUntilSelectedAgain() {
        byte[] uid = HEX.parseHex("04 A1 B2 C3");
        var sectors = CARDS.issuer().issue(uid, new CardData(1, 2, 0), java.time.LocalDate.of(2026, 9, 1));
        chip.place(VirtualCard.campus(uid, sectors));
        ask("4A 01 00");
        assertThat(ask("40 01 60 04 FF FF FF FF FF FF 04 A1 B2 C3")).contains("D5 41 14");
        assertThat(ask("40 01 30 04")).contains("D5 41 01");
        ask("4A 01 00");
        String key = HEX.formatHex(CARDS.reader().keyA(uid));
        assertThat(ask("40 01 60 04 " + key + " 04 A1 B2 C3")).contains("D5 41 00");
        Pn532Frame read = chip.handle(Pn532Frame.command(0x40, HEX.parseHex("01 30 04")));
        byte[] body = read.body();
        assertThat(body[0]).isZero();
        assertThat(Arrays.copyOfRange(body, 1, 17)).isEqualTo(sectors.blocks().get(4));
    }

    @Test
    void readOutsideTheAuthenticatedSectorFailsAndTrailerHidesKeyA() {
        chip.place(VirtualCard.blank("01020304"));
        ask("4A 01 00");
        assertThat(ask("40 01 60 07 FF FF FF FF FF FF 01 02 03 04")).contains("D5 41 00");
        Pn532Frame trailer = chip.handle(Pn532Frame.command(0x40, HEX.parseHex("01 30 07")));
        assertThat(Arrays.copyOfRange(trailer.body(), 1, 7)).containsOnly(0);
        assertThat(ask("40 01 30 08")).contains("D5 41 01");
    }

    @Test
    void removedCardTimesOutInDataExchange() {
        chip.place(VirtualCard.blank("01020304"));
        ask("4A 01 00");
        chip.place(null);
        assertThat(ask("40 01 60 07 FF FF FF FF FF FF 01 02 03 04")).contains("D5 41 01");
    }

    @Test
    void answersLibnfcOpeningSequence() {
        assertThat(ask("00 00 6C 69 62 6E 66 63")).contains("D5 01 00 6C 69 62 6E 66 63");
        assertThat(ask("12 14")).contains("D5 13");
        assertThat(ask("08 63 02 83 63 03 8B 63 0D 00")).contains("D5 09");
        assertThat(ask("06 63 02 63 03 63 0D")).contains("D5 07 83 8B 00");
        assertThat(ask("32 01 00")).contains("D5 33");
        assertThat(ask("32 05 FF FF FF")).contains("D5 33");
        assertThat(ask("44 00")).contains("D5 45 00");
        assertThat(ask("42 0C")).contains("D5 43 01");
        assertThat(ask("5A")).isEqualTo("00 00 FF 01 FF 7F 81 00");
    }
}
