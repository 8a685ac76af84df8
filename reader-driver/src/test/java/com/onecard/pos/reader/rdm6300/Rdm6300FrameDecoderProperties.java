package com.onecard.pos.reader.rdm6300;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class Rdm6300FrameDecoderProperties {

    @Property(tries = 500)
    void randomBytesAtRandomSplitsNeverThrowNorYieldABadChecksum(@ForAll @Size(max = 2000) byte[] noise,
                                                                  @ForAll long seed) {
        Rdm6300FrameDecoder d = new Rdm6300FrameDecoder();
        List<Rdm6300Frame> frames = new ArrayList<>();
        assertThatCode(() -> {
            for (byte[] chunk : split(noise, new Random(seed))) {
                frames.addAll(d.feed(chunk));
            }
        }).doesNotThrowAnyException();
        for (Rdm6300Frame f : frames) {
            byte[] wire = f.encode();
            assertThat(Character.digit(wire[11], 16) << 4 | Character.digit(wire[12], 16))
                    .isEqualTo(Rdm6300Frame.checksum(f.data()));
        }
    }

    @Property(tries = 500)
    void hexHeavyNoiseOnlyYieldsFramesWhoseChecksumHolds(@ForAll("hexNoise") byte[] noise) {
        // noise drawn from STX, ETX and hex digits reaches the checksum stage often
        for (Rdm6300Frame f : new Rdm6300FrameDecoder().feed(noise)) {
            assertThat(containsIgnoringCase(noise, f.encode())).isTrue();
        }
    }

    @Property(tries = 500)
    void realFramesBetweenNoiseBurstsAllComeThrough(@ForAll("dataList") List<byte[]> tags,
                                                    @ForAll @Size(max = 40) byte[] noise, @ForAll long seed) {
        List<byte[]> wire = new ArrayList<>();
        List<Rdm6300Frame> sent = new ArrayList<>();
        for (byte[] t : tags) {
            wire.add(noise);
            Rdm6300Frame f = new Rdm6300Frame(t);
            sent.add(f);
            wire.add(f.encode());
        }
        Rdm6300FrameDecoder d = new Rdm6300FrameDecoder();
        List<Rdm6300Frame> got = new ArrayList<>();
        for (byte[] chunk : split(concat(wire), new Random(seed))) {
            got.addAll(d.feed(chunk));
        }
        // a false STX in the noise is abandoned at the real STX, so every real frame survives
        assertThat(got).containsSubsequence(sent);
    }

    @Provide
    Arbitrary<byte[]> hexNoise() {
        return Arbitraries.of((byte) 0x02, (byte) 0x03, (byte) '0', (byte) '1', (byte) '2', (byte) 'A', (byte) 'F',
                (byte) 'e', (byte) '9').array(byte[].class).ofMaxSize(400);
    }

    @Provide
    Arbitrary<List<byte[]>> dataList() {
        return Arbitraries.bytes().array(byte[].class).ofSize(Rdm6300Frame.DATA_LENGTH).list().ofMaxSize(6);
    }

    static List<byte[]> split(byte[] all, Random r) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < all.length) {
            int n = Math.min(all.length - i, 1 + r.nextInt(20));
            byte[] c = new byte[n];
            System.arraycopy(all, i, c, 0, n);
            out.add(c);
            i += n;
        }
        return out;
    }

    private static byte[] concat(List<byte[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private static boolean containsIgnoringCase(byte[] hay, byte[] needle) {
        String h = new String(hay, java.nio.charset.StandardCharsets.ISO_8859_1).toUpperCase(java.util.Locale.ROOT);
        return h.contains(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
