package com.onecard.pos.reader.pn532;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a byte stream split at arbitrary points into {@link Pn532Frame}s. A small explicit
 * state machine: it hunts for the {@code 00 FF} start code through any preamble or noise,
 * then checks the length checksum, the size limit, the TFI and the data checksum. A frame
 * that fails any check is counted in {@link #dropped()} and its bytes after the start code
 * are scanned again, so a real frame hidden behind a false start code is still found.
 * Not thread-safe: one reader thread feeds it.
 */
public final class Pn532FrameDecoder {

    private enum State { HUNT_00, HUNT_FF, LEN, LCS, EXT_LENM, EXT_LENL, EXT_LCS, TFI, DATA, DCS }

    private final int maxLength;
    private State state = State.HUNT_00;
    /** Bytes consumed since the start code, replayed when the frame turns out bad. */
    private final byte[] candidate;
    private int candidateLength;
    private int len;
    private int sum;
    private int tfi;
    private byte[] data;
    private int dataPos;
    private long dropped;

    public Pn532FrameDecoder() {
        this(Pn532Frame.MAX_LENGTH);
    }

    /** @param maxLength largest accepted TFI+PD length; longer frames are dropped */
    public Pn532FrameDecoder(int maxLength) {
        if (maxLength < 2 || maxLength > Pn532Frame.MAX_LENGTH) {
            throw new IllegalArgumentException("maxLength must be 2.." + Pn532Frame.MAX_LENGTH);
        }
        this.maxLength = maxLength;
        this.candidate = new byte[maxLength + 8];
    }

    /** Feeds a chunk and returns the frames it completed, in order. */
    public List<Pn532Frame> feed(byte[] buf, int off, int n) {
        List<Pn532Frame> out = new ArrayList<>(1);
        for (int i = off; i < off + n; i++) {
            step(buf[i], out);
        }
        return out;
    }

    public List<Pn532Frame> feed(byte[] buf) {
        return feed(buf, 0, buf.length);
    }

    /**
     * Gives up on a partly received frame (the sender went quiet mid-frame, e.g. after a
     * false start code in noise): counts it as dropped and rescans its bytes.
     */
    public List<Pn532Frame> abandonPartial() {
        List<Pn532Frame> out = new ArrayList<>(1);
        if (inFrame()) {
            drop(out);
        }
        return out;
    }

    /** True while a frame has started but is not complete. */
    public boolean inFrame() {
        return state != State.HUNT_00 && state != State.HUNT_FF;
    }

    /** Frames dropped for a bad checksum, length, size or TFI since creation. */
    public long dropped() {
        return dropped;
    }

    public void reset() {
        state = State.HUNT_00;
        candidateLength = 0;
    }

    private void step(byte b, List<Pn532Frame> out) {
        int v = b & 0xFF;
        if (inFrame()) {
            candidate[candidateLength++] = b;
        }
        switch (state) {
            case HUNT_00 -> {
                if (v == 0x00) {
                    state = State.HUNT_FF;
                }
            }
            case HUNT_FF -> {
                if (v == 0xFF) {
                    state = State.LEN;
                    candidateLength = 0;
                } else if (v != 0x00) {
                    state = State.HUNT_00;
                }
            }
            case LEN -> {
                len = v;
                state = State.LCS;
            }
            case LCS -> onLengthChecksum(v, out);
            case EXT_LENM -> {
                len = v << 8;
                state = State.EXT_LENL;
            }
            case EXT_LENL -> {
                len |= v;
                state = State.EXT_LCS;
            }
            case EXT_LCS -> {
                if (((len >> 8) + len + v & 0xFF) != 0) {
                    drop(out);
                } else {
                    startBody(out);
                }
            }
            case TFI -> {
                tfi = v;
                sum = v;
                if (tfi != Pn532Frame.TFI_HOST && tfi != Pn532Frame.TFI_CHIP
                        && !(tfi == Pn532Frame.TFI_ERROR && len == 1)) {
                    drop(out);
                } else {
                    data = new byte[len - 1];
                    dataPos = 0;
                    state = data.length == 0 ? State.DCS : State.DATA;
                }
            }
            case DATA -> {
                data[dataPos++] = b;
                sum += v;
                if (dataPos == data.length) {
                    state = State.DCS;
                }
            }
            case DCS -> {
                if ((sum + v & 0xFF) != 0) {
                    drop(out);
                } else {
                    state = State.HUNT_00;
                    candidateLength = 0;
                    out.add(tfi == Pn532Frame.TFI_ERROR ? Pn532Frame.error() : Pn532Frame.data(tfi, data));
                }
            }
        }
    }

    private void onLengthChecksum(int lcs, List<Pn532Frame> out) {
        if (len == 0x00 && lcs == 0xFF) {
            complete(Pn532Frame.ack(), out);
        } else if (len == 0xFF && lcs == 0x00) {
            complete(Pn532Frame.nack(), out);
        } else if (len == 0xFF && lcs == 0xFF) {
            state = State.EXT_LENM;
        } else if (((len + lcs) & 0xFF) != 0 || len == 0) {
            drop(out);
        } else {
            startBody(out);
        }
    }

    private void startBody(List<Pn532Frame> out) {
        if (len < 1 || len > maxLength) {
            drop(out);
        } else {
            state = State.TFI;
        }
    }

    private void complete(Pn532Frame f, List<Pn532Frame> out) {
        state = State.HUNT_00;
        candidateLength = 0;
        out.add(f);
    }

    /** Counts the bad frame and rescans every byte after its start code. */
    private void drop(List<Pn532Frame> out) {
        dropped++;
        byte[] replay = java.util.Arrays.copyOf(candidate, candidateLength);
        state = State.HUNT_00;
        candidateLength = 0;
        for (byte r : replay) {
            step(r, out);
        }
    }
}
