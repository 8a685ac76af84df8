package com.onecard.pos.reader.pn532;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class Pn532FrameDecoderProperties {

    @Property(tries = 500)
    void randomBytesAtRandomSplitsNeverThrowNorYieldBadFrames(@ForAll @Size(max = 2000) byte[] noise, @ForAll long seed) {
        Pn532FrameDecoder d = new Pn532FrameDecoder();
        List<Pn532Frame> frames = new ArrayList<>();
        assertThatCode(() -> {
            for (byte[] chunk : split(noise, new Random(seed))) {
                frames.addAll(d.feed(chunk));
            }
            frames.addAll(d.abandonPartial());
        }).doesNotThrowAnyException();
        for (Pn532Frame f : frames) {
            // a frame is only ever emitted after its checksums held, so re-encoding must be self-consistent
            assertThat(new Pn532FrameDecoder().feed(f.encode())).containsExactly(f);
        }
    }

    @Property(tries = 500)
    void randomBytesYieldOnlyFramesThatWereReallyOnTheWire(@ForAll @Size(max = 600) byte[] noise) {
        // every emitted data frame must appear verbatim (start code to DCS) in the input
        for (Pn532Frame f : new Pn532FrameDecoder().feed(noise)) {
            if (f.kind() == Pn532Frame.Kind.DATA) {
                byte[] enc = f.encode();
                byte[] core = Arrays.copyOfRange(enc, 1, enc.length - 1);
                assertThat(indexOf(noise, core)).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Property(tries = 500)
    void validFramesSplitAtRandomPointsDecodeIdentically(@ForAll("frames") List<Pn532Frame> sent,
                                                         @ForAll @Size(max = 8) byte[] preamble, @ForAll long seed) {
        byte[] wire = concat(sent, preamble);
        Pn532FrameDecoder d = new Pn532FrameDecoder();
        List<Pn532Frame> got = new ArrayList<>();
        for (byte[] chunk : split(wire, new Random(seed))) {
            got.addAll(d.feed(chunk));
        }
        got.addAll(d.abandonPartial());
        // a preamble of noise may hide at most a false start; real frames must all come through
        assertThat(got).containsSubsequence(sent);
    }

    @Property(tries = 500)
    void validFramesAfterAPreambleSplitAtRandomPointsDecodeExactly(@ForAll("frames") List<Pn532Frame> sent,
                                                                   @ForAll("preamble") byte[] preamble,
                                                                   @ForAll long seed) {
        Pn532FrameDecoder d = new Pn532FrameDecoder();
        List<Pn532Frame> got = new ArrayList<>();
        for (byte[] chunk : split(concat(sent, preamble), new Random(seed))) {
            got.addAll(d.feed(chunk));
        }
        assertThat(got).containsExactlyElementsOf(sent);
        assertThat(d.dropped()).isZero();
        assertThat(d.inFrame()).isFalse();
    }

    /** Wake-up style preamble (55 and 00 bytes), which can never form a start code. */
    @Provide
    Arbitrary<byte[]> preamble() {
        return Arbitraries.of((byte) 0x00, (byte) 0x55).array(byte[].class).ofMaxSize(24);
    }

    @Provide
    Arbitrary<List<Pn532Frame>> frames() {
        Arbitrary<Pn532Frame> data = Arbitraries.integers().between(1, Pn532Frame.MAX_LENGTH - 1)
                .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n))
                .flatMap(p -> Arbitraries.of(Pn532Frame.TFI_HOST, Pn532Frame.TFI_CHIP).map(t -> Pn532Frame.data(t, p)));
        Arbitrary<Pn532Frame> control = Arbitraries.of(Pn532Frame.ack(), Pn532Frame.nack(), Pn532Frame.error());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, data), net.jqwik.api.Tuple.of(1, control)).list().ofMaxSize(6);
    }

    private static byte[] concat(List<Pn532Frame> frames, byte[] preamble) {
        // 00 FF inside noise could swallow the first frame's bytes as its body; the decoder's
        // rescan must still recover it, so noise is kept in front deliberately
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(preamble);
        for (Pn532Frame f : frames) {
            out.writeBytes(f.encode());
        }
        return out.toByteArray();
    }

    private static List<byte[]> split(byte[] data, Random r) {
        List<byte[]> chunks = new ArrayList<>();
        int i = 0;
        while (i < data.length) {
            int n = 1 + r.nextInt(Math.min(64, data.length - i));
            chunks.add(Arrays.copyOfRange(data, i, i + n));
            i += n;
        }
        return chunks;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
