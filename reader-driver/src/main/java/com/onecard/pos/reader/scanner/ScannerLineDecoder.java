package com.onecard.pos.reader.scanner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the byte stream of a serial QR / barcode module into codes: one code per line ending
 * in CR, CRLF or LF (modules differ and are often misconfigured). A partial line is also ended
 * by an idle gap, for modules set to send no terminator; the caller passes its clock's
 * monotonic nanoseconds so the decoder itself does no I/O and never reads a clock.
 * <p>
 * A line longer than {@code maxLength} bytes is counted in {@link #overflows()} and discarded
 * up to its terminator: a truncated payment code is worse than none. Empty lines are skipped.
 * Codes are decoded as UTF-8. Not thread-safe: one reader thread feeds it.
 */
public final class ScannerLineDecoder {
    public static final int DEFAULT_MAX_LENGTH = 512;
    public static final Duration DEFAULT_IDLE_GAP = Duration.ofMillis(100);

    private final int maxLength;
    private final long idleGapNanos;
    private final byte[] line;
    private int length;
    private boolean overflowing;
    /** The previous byte was a CR, so an LF right after it ends nothing. */
    private boolean afterCr;
    private long lastByteNanos;
    private long overflows;

    public ScannerLineDecoder() {
        this(DEFAULT_MAX_LENGTH, DEFAULT_IDLE_GAP);
    }

    public ScannerLineDecoder(int maxLength, Duration idleGap) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
        }
        if (idleGap.isNegative() || idleGap.isZero()) {
            throw new IllegalArgumentException("idle gap must be positive, got " + idleGap);
        }
        this.maxLength = maxLength;
        this.idleGapNanos = idleGap.toNanos();
        this.line = new byte[maxLength];
    }

    public Duration idleGap() {
        return Duration.ofNanos(idleGapNanos);
    }

    /** Feeds a chunk received at {@code nowNanos}; returns the codes it completed, in order. */
    public List<String> feed(byte[] buf, int off, int n, long nowNanos) {
        List<String> out = new ArrayList<>(1);
        if (n > 0) {
            // bytes that arrive after a gap start a new code: the old one was finished
            flushIfIdle(nowNanos).ifPresent(out::add);
            lastByteNanos = nowNanos;
        }
        for (int i = off; i < off + n; i++) {
            step(buf[i], out);
        }
        return out;
    }

    public List<String> feed(byte[] buf, long nowNanos) {
        return feed(buf, 0, buf.length, nowNanos);
    }

    /**
     * Ends a partial line when nothing came for the idle gap.
     *
     * @return the code, or empty when no partial line is pending or the gap has not passed
     */
    public Optional<String> flushIfIdle(long nowNanos) {
        if ((length == 0 && !overflowing) || nowNanos - lastByteNanos < idleGapNanos) {
            return Optional.empty();
        }
        afterCr = false;
        return endLine();
    }

    /** True while part of a line is waiting for its terminator or the idle gap. */
    public boolean pending() {
        return length > 0 || overflowing;
    }

    /** Lines dropped for exceeding the maximum length since creation. */
    public long overflows() {
        return overflows;
    }

    public void reset() {
        length = 0;
        overflowing = false;
        afterCr = false;
    }

    private void step(byte b, List<String> out) {
        if (b == '\n' && afterCr) {
            afterCr = false;
            return;
        }
        afterCr = b == '\r';
        if (b == '\r' || b == '\n') {
            endLine().ifPresent(out::add);
        } else if (overflowing) {
            return;
        } else if (length == maxLength) {
            overflowing = true;
            overflows++;
        } else {
            line[length++] = b;
        }
    }

    private Optional<String> endLine() {
        boolean dropped = overflowing;
        int n = length;
        length = 0;
        overflowing = false;
        if (dropped || n == 0) {
            return Optional.empty();
        }
        return Optional.of(new String(line, 0, n, StandardCharsets.UTF_8));
    }
}
