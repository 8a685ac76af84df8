package com.onecard.pos.reader.scanner;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class ScannerLineDecoderProperties {
    private static final long MS = 1_000_000;

    @Property(tries = 500)
    void randomBytesAtRandomSplitsNeverThrowAndRespectTheLimit(@ForAll @Size(max = 3000) byte[] noise,
                                                               @ForAll long seed) {
        ScannerLineDecoder d = new ScannerLineDecoder(64, Duration.ofMillis(50));
        Random r = new Random(seed);
        List<String> got = new ArrayList<>();
        assertThatCode(() -> {
            long now = 0;
            for (byte[] chunk : split(noise, r)) {
                now += r.nextInt(80) * MS;
                got.addAll(d.feed(chunk, 0, chunk.length, now));
                now += r.nextInt(80) * MS;
                d.flushIfIdle(now).ifPresent(got::add);
            }
        }).doesNotThrowAnyException();
        for (String code : got) {
            assertThat(code).isNotEmpty().doesNotContain("\r", "\n");
            assertThat(code.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64 * 3);
        }
    }

    @Property(tries = 500)
    void codesSplitAtRandomPointsWithoutGapsComeThroughExactly(@ForAll("codes") List<String> codes,
                                                               @ForAll("terminator") String terminator,
                                                               @ForAll long seed) {
        StringBuilder wire = new StringBuilder();
        codes.forEach(c -> wire.append(c).append(terminator));
        ScannerLineDecoder d = new ScannerLineDecoder();
        List<String> got = new ArrayList<>();
        long now = 0;
        for (byte[] chunk : split(wire.toString().getBytes(StandardCharsets.UTF_8), new Random(seed))) {
            now += MS;
            got.addAll(d.feed(chunk, 0, chunk.length, now));
        }
        assertThat(got).containsExactlyElementsOf(codes);
        assertThat(d.overflows()).isZero();
        assertThat(d.pending()).isFalse();
    }

    @Property(tries = 300)
    void unterminatedCodesSeparatedByGapsComeThroughExactly(@ForAll("codes") List<String> codes, @ForAll long seed) {
        ScannerLineDecoder d = new ScannerLineDecoder(512, Duration.ofMillis(100));
        Random r = new Random(seed);
        List<String> got = new ArrayList<>();
        long now = 0;
        for (String c : codes) {
            for (byte[] chunk : split(c.getBytes(StandardCharsets.UTF_8), r)) {
                now += r.nextInt(20) * MS;
                got.addAll(d.feed(chunk, 0, chunk.length, now));
            }
            now += 100 * MS;
            d.flushIfIdle(now).ifPresent(got::add);
        }
        assertThat(got).containsExactlyElementsOf(codes);
    }

    @Provide
    Arbitrary<List<String>> codes() {
        return Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/?=&.-食堂")
                .ofMinLength(1).ofMaxLength(150).list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> terminator() {
        return Arbitraries.of("\r", "\r\n", "\n");
    }

    static List<byte[]> split(byte[] all, Random r) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < all.length) {
            int n = Math.min(all.length - i, 1 + r.nextInt(40));
            byte[] c = new byte[n];
            System.arraycopy(all, i, c, 0, n);
            out.add(c);
            i += n;
        }
        return out;
    }
}
