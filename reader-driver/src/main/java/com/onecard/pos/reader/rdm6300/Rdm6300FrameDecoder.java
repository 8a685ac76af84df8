package com.onecard.pos.reader.rdm6300;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an RDM6300 byte stream split at arbitrary points into {@link Rdm6300Frame}s. A small
 * explicit state machine: it hunts for STX through noise, takes exactly 12 ASCII hex digits,
 * then wants ETX and a matching XOR checksum. A frame that fails any check is counted in
 * {@link #dropped()} and its bytes after the STX are scanned again, so a real frame hidden
 * behind a false STX in noise is still found. Not thread-safe: one reader thread feeds it.
 */
public final class Rdm6300FrameDecoder {
    private static final int DIGITS = 2 * Rdm6300Frame.DATA_LENGTH + 2;

    private enum State { HUNT_STX, DIGITS, ETX }

    private State state = State.HUNT_STX;
    /** Bytes after the STX, replayed when the frame turns out bad; never more than a frame. */
    private final byte[] candidate = new byte[DIGITS + 1];
    private int candidateLength;
    private final int[] nibbles = new int[DIGITS];
    private int digits;
    private long dropped;

    /** Feeds a chunk and returns the frames it completed, in order. */
    public List<Rdm6300Frame> feed(byte[] buf, int off, int n) {
        List<Rdm6300Frame> out = new ArrayList<>(1);
        for (int i = off; i < off + n; i++) {
            step(buf[i], out);
        }
        return out;
    }

    public List<Rdm6300Frame> feed(byte[] buf) {
        return feed(buf, 0, buf.length);
    }

    /** Frames dropped for a non-hex digit, a missing ETX or a bad checksum since creation. */
    public long dropped() {
        return dropped;
    }

    /** True while a frame has started but is not complete. */
    public boolean inFrame() {
        return state != State.HUNT_STX;
    }

    public void reset() {
        state = State.HUNT_STX;
        candidateLength = 0;
        digits = 0;
    }

    private void step(byte b, List<Rdm6300Frame> out) {
        if (state != State.HUNT_STX) {
            candidate[candidateLength++] = b;
        }
        switch (state) {
            case HUNT_STX -> {
                if (b == Rdm6300Frame.STX) {
                    state = State.DIGITS;
                    candidateLength = 0;
                    digits = 0;
                }
            }
            case DIGITS -> {
                int v = Character.digit(b & 0xFF, 16);
                // digit() also accepts non-ASCII digits above 0x7F; the module only sends ASCII
                if (v < 0 || (b & 0x80) != 0) {
                    drop(out);
                } else {
                    nibbles[digits++] = v;
                    if (digits == DIGITS) {
                        state = State.ETX;
                    }
                }
            }
            case ETX -> {
                if (b != Rdm6300Frame.ETX) {
                    drop(out);
                } else {
                    complete(out);
                }
            }
        }
    }

    private void complete(List<Rdm6300Frame> out) {
        byte[] data = new byte[Rdm6300Frame.DATA_LENGTH];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (nibbles[2 * i] << 4 | nibbles[2 * i + 1]);
        }
        int sum = nibbles[DIGITS - 2] << 4 | nibbles[DIGITS - 1];
        if (Rdm6300Frame.checksum(data) != sum) {
            drop(out);
            return;
        }
        reset();
        out.add(new Rdm6300Frame(data));
    }

    /** Counts the bad frame and rescans every byte after its STX. */
    private void drop(List<Rdm6300Frame> out) {
        dropped++;
        byte[] replay = java.util.Arrays.copyOf(candidate, candidateLength);
        reset();
        for (byte r : replay) {
            step(r, out);
        }
    }
}
