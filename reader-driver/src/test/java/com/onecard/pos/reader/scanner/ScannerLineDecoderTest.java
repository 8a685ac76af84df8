package com.onecard.pos.reader.scanner;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ScannerLineDecoderTest {
    private static final long MS = 1_000_000;
    private final ScannerLineDecoder d = new ScannerLineDecoder(16, Duration.ofMillis(100));

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void crCrlfAndLfAllEndACode() {
        assertThat(d.feed(b("A1\rB2\r\nC3\nD4\r"), 0)).containsExactly("A1", "B2", "C3", "D4");
        assertThat(d.pending()).isFalse();
    }

    @Test
    void crlfSplitBetweenChunksIsOneTerminator() {
        assertThat(d.feed(b("QR-1\r"), 0)).containsExactly("QR-1");
        assertThat(d.feed(b("\nQR-2\r"), MS)).containsExactly("QR-2");
    }

    @Test
    void emptyLinesAreSkipped() {
        assertThat(d.feed(b("\r\n\r\n\n\rX\r\n"), 0)).containsExactly("X");
    }

    @Test
    void aCodeSplitAcrossChunksIsJoined() {
        assertThat(d.feed(b("hppt"), 0)).isEmpty();
        assertThat(d.feed(b("s://q"), 10 * MS)).isEmpty();
        assertThat(d.feed(b("r\r\n"), 20 * MS)).containsExactly("hppts://qr");
    }

    @Test
    void partialLineIsFlushedOnlyAfterTheIdleGap() {
        assertThat(d.feed(b("NOTERM"), 0)).isEmpty();
        assertThat(d.flushIfIdle(99 * MS)).isEmpty();
        assertThat(d.flushIfIdle(100 * MS)).contains("NOTERM");
        assertThat(d.flushIfIdle(300 * MS)).isEmpty();
    }

    @Test
    void bytesAfterAGapStartANewCode() {
        d.feed(b("FIRST"), 0);
        assertThat(d.feed(b("SECOND\r"), 150 * MS)).containsExactly("FIRST", "SECOND");
    }

    @Test
    void overLongLineIsCountedAndDroppedUpToItsTerminator() {
        assertThat(d.feed(b("0123456789ABCDEF"), 0)).isEmpty();
        assertThat(d.feed(b("GHIJ\r\nok\r\n"), MS)).containsExactly("ok");
        assertThat(d.overflows()).isEqualTo(1);
        assertThat(d.feed(b("0123456789ABCDEF\r"), 2 * MS)).containsExactly("0123456789ABCDEF");
    }

    @Test
    void overLongLineWithoutTerminatorIsDroppedAtTheGap() {
        d.feed(b("0123456789ABCDEFGHIJ"), 0);
        assertThat(d.flushIfIdle(200 * MS)).isEmpty();
        assertThat(d.pending()).isFalse();
        assertThat(d.feed(b("next\r"), 300 * MS)).containsExactly("next");
    }

    @Test
    void utf8IsDecoded() {
        assertThat(d.feed(b("食堂一号\r"), 0)).containsExactly("食堂一号");
    }
}
