package com.onecard.pos.reader.rdm6300;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Rdm6300FrameDecoderTest {
    /** The reference vector: data 30 7E 4D E5 C2, checksum 24. */
    static final byte[] GOLDEN = wire("307E4DE5C224");
    static final byte[] GOLDEN_DATA = HexFormat.of().parseHex("307E4DE5C2");

    static byte[] wire(String asciiHex) {
        byte[] digits = asciiHex.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[digits.length + 2];
        out[0] = 0x02;
        System.arraycopy(digits, 0, out, 1, digits.length);
        out[out.length - 1] = 0x03;
        return out;
    }

    @Test
    void goldenVectorDecodesAndEncodesBack() {
        Rdm6300FrameDecoder d = new Rdm6300FrameDecoder();
        assertThat(d.feed(GOLDEN)).containsExactly(new Rdm6300Frame(GOLDEN_DATA));
        assertThat(Rdm6300Frame.checksum(GOLDEN_DATA)).isEqualTo(0x24);
        assertThat(new Rdm6300Frame(GOLDEN_DATA).encode()).isEqualTo(GOLDEN);
        assertThat(d.dropped()).isZero();
    }

    @Test
    void goldenVectorFedOneByteAtATime() {
        Rdm6300FrameDecoder d = new Rdm6300FrameDecoder();
        List<Rdm6300Frame> got = new ArrayList<>();
        for (byte b : GOLDEN) {
            assertThat(got).isEmpty();
            got.addAll(d.feed(new byte[]{b}));
        }
        assertThat(got).containsExactly(new Rdm6300Frame(GOLDEN_DATA));
    }

    @Test
    void lowerCaseDigitsAreAccepted() {
        assertThat(new Rdm6300FrameDecoder().feed(wire("307e4de5c224"))).containsExactly(new Rdm6300Frame(GOLDEN_DATA));
    }

    @Test
    void wrongChecksumIsCountedNotThrownNorEmitted() {
        Rdm6300FrameDecoder d = new Rdm6300FrameDecoder();
        assertThat(d.feed(wire("307E4DE5C225"))).isEmpty();
        assertThat(d.dropped()).isEqualTo(1);
        assertThat(d.feed(GOLDEN)).hasSize(1);
    }

    @Test
    void missingEtxAndNonHexDigitsAreDropped() {
        Rdm6300FrameDecoder d = new Rdm6300FrameDecoder();
        byte[] noEtx = wire("307E4DE5C224");
        noEtx[noEtx.length - 1] = 0x04;
        assertThat(d.feed(noEtx)).isEmpty();
        assertThat(d.feed(wire("307E4DG5C224"))).isEmpty();
        assertThat(d.dropped()).isEqualTo(2);
    }

    @Test
    void falseStxInNoiseDoesNotHideTheRealFrame() {
        byte[] noise = {0x55, 0x02, '3', '0', 0x7F, 0x02, 'A'};
        byte[] in = new byte[noise.length + GOLDEN.length];
        System.arraycopy(noise, 0, in, 0, noise.length);
        System.arraycopy(GOLDEN, 0, in, noise.length, GOLDEN.length);
        Rdm6300FrameDecoder d = new Rdm6300FrameDecoder();
        assertThat(d.feed(in)).containsExactly(new Rdm6300Frame(GOLDEN_DATA));
        assertThat(d.inFrame()).isFalse();
    }

    @Test
    void backToBackRepeatsAllDecode() {
        byte[] in = new byte[GOLDEN.length * 3];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(GOLDEN, 0, in, i * GOLDEN.length, GOLDEN.length);
        }
        assertThat(new Rdm6300FrameDecoder().feed(in)).hasSize(3);
    }
}
