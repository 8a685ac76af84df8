package com.onecard.pos.reader.pn532;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden vectors from shared/reference/pn532-hsu.md, both directions. */
class Pn532FrameTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "GetFirmwareVersion,   D4, 02,                                      00 00 FF 02 FE D4 02 2A 00",
            "firmware response,    D5, 03 32 01 06 07,                          00 00 FF 06 FA D5 03 32 01 06 07 E8 00",
            "SAMConfiguration,     D4, 14 01,                                   00 00 FF 03 FD D4 14 01 17 00",
            "SAM response,         D5, 15,                                      00 00 FF 02 FE D5 15 16 00",
            "InListPassiveTarget,  D4, 4A 01 00,                                00 00 FF 04 FC D4 4A 01 00 E1 00",
            "one card,             D5, 4B 01 01 00 04 08 04 90 1F 2A A4,        00 00 FF 0C F4 D5 4B 01 01 00 04 08 04 90 1F 2A A4 51 00",
            "no card,              D5, 4B 00,                                   00 00 FF 03 FD D5 4B 00 E0 00",
            "auth key A block 7,   D4, 40 01 60 07 FF FF FF FF FF FF 90 1F 2A A4, 00 00 FF 0F F1 D4 40 01 60 07 FF FF FF FF FF FF 90 1F 2A A4 0D 00",
            "auth ok,              D5, 41 00,                                   00 00 FF 03 FD D5 41 00 EA 00",
            "auth error,           D5, 41 14,                                   00 00 FF 03 FD D5 41 14 D6 00",
            "read block 7,         D4, 40 01 30 07,                             00 00 FF 05 FB D4 40 01 30 07 B4 00",
            "InRelease all,        D4, 52 00,                                   00 00 FF 03 FD D4 52 00 DA 00",
            "InRelease response,   D5, 53 00,                                   00 00 FF 03 FD D5 53 00 D8 00",
    })
    void dataVectorsEncodeAndDecode(String name, String tfi, String payload, String wire) {
        Pn532Frame frame = Pn532Frame.data(Integer.parseInt(tfi, 16), HEX.parseHex(payload));
        assertThat(HEX.formatHex(frame.encode())).as(name).isEqualTo(wire);
        List<Pn532Frame> decoded = new Pn532FrameDecoder().feed(HEX.parseHex(wire));
        assertThat(decoded).as(name).containsExactly(frame);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "ACK,   00 00 FF 00 FF 00",
            "NACK,  00 00 FF FF 00 00",
            "ERROR, 00 00 FF 01 FF 7F 81 00",
    })
    void controlFrameVectors(Pn532Frame.Kind kind, String wire) {
        Pn532Frame frame = switch (kind) {
            case ACK -> Pn532Frame.ack();
            case NACK -> Pn532Frame.nack();
            default -> Pn532Frame.error();
        };
        assertThat(HEX.formatHex(frame.encode())).isEqualTo(wire);
        assertThat(new Pn532FrameDecoder().feed(HEX.parseHex(wire))).singleElement()
                .extracting(Pn532Frame::kind).isEqualTo(kind);
    }

    @Test
    void ackAndResponseInOneReadWithPreambleAndGarbage() {
        byte[] wire = HEX.parseHex("55 55 13 00 00 00 FF 00 FF 00 FF 00 00 FF 06 FA D5 03 32 01 06 07 E8 00 00");
        List<Pn532Frame> frames = new Pn532FrameDecoder().feed(wire);
        assertThat(frames).containsExactly(Pn532Frame.ack(), Pn532Frame.response(0x02, HEX.parseHex("32 01 06 07")));
    }

    @Test
    void badChecksumIsCountedDropAndNextFrameStillDecodes() {
        Pn532FrameDecoder d = new Pn532FrameDecoder();
        List<Pn532Frame> frames = d.feed(HEX.parseHex("00 00 FF 03 FD D5 41 00 EB 00 00 00 FF 03 FD D5 41 14 D6 00"));
        assertThat(frames).containsExactly(Pn532Frame.response(0x40, (byte) 0x14));
        assertThat(d.dropped()).isEqualTo(1);
    }

    @Test
    void badLengthChecksumDropped() {
        Pn532FrameDecoder d = new Pn532FrameDecoder();
        assertThat(d.feed(HEX.parseHex("00 00 FF 03 FC D5 41 00 EA 00"))).isEmpty();
        assertThat(d.dropped()).isEqualTo(1);
    }

    @Test
    void unknownTfiDropped() {
        Pn532FrameDecoder d = new Pn532FrameDecoder();
        assertThat(d.feed(HEX.parseHex("00 00 FF 02 FE D6 03 27 00"))).isEmpty();
        assertThat(d.dropped()).isEqualTo(1);
    }

    @Test
    void realFrameHiddenBehindFalseStartCodeIsFound() {
        Pn532FrameDecoder d = new Pn532FrameDecoder();
        List<Pn532Frame> frames = d.feed(HEX.parseHex("00 FF 40 C0 D5 00 00 FF 03 FD D5 4B 00 E0 00"));
        assertThat(frames).isEmpty();
        assertThat(d.inFrame()).isTrue();
        assertThat(d.abandonPartial()).containsExactly(Pn532Frame.response(0x4A, (byte) 0));
        assertThat(d.dropped()).isEqualTo(1);
    }

    @Test
    void extendedFrameRoundTrips() {
        byte[] payload = new byte[300 - 1 - 35];
        payload[0] = 0x41;
        for (int i = 1; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        Pn532Frame f = Pn532Frame.data(Pn532Frame.TFI_CHIP, payload);
        byte[] wire = f.encode();
        assertThat(HEX.formatHex(wire, 0, 5)).isEqualTo("00 00 FF FF FF");
        assertThat(new Pn532FrameDecoder().feed(wire)).containsExactly(f);
    }

    @Test
    void frameAboveMaximumSizeIsDropped() {
        Pn532FrameDecoder d = new Pn532FrameDecoder(64);
        byte[] payload = new byte[100];
        payload[0] = 0x41;
        assertThat(d.feed(Pn532Frame.data(Pn532Frame.TFI_CHIP, payload).encode())).isEmpty();
        assertThat(d.dropped()).isEqualTo(1);
    }
}
