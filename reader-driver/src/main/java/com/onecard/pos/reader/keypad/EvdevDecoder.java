package com.onecard.pos.reader.keypad;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the byte stream of an evdev device ({@code /dev/input/event*}) into {@link InputEvent}s.
 * The kernel writes whole records, but a read may return several, and a FIFO fed by an emulator
 * may split one: a partial record waits for the rest.
 * <p>
 * Record layout (linux/input.h, native byte order, little-endian on every Raspberry Pi OS):
 * on a 64-bit userspace {@code struct timeval} is two 8-byte longs, so a record is
 * {@value #RECORD_64} bytes (sec, usec, u16 type, u16 code, s32 value); on 32-bit armhf it is
 * two 4-byte longs, {@value #RECORD_32} bytes. Does no I/O; not thread-safe.
 */
public final class EvdevDecoder {
    public static final int RECORD_64 = 24;
    public static final int RECORD_32 = 16;

    private final int recordSize;
    private final byte[] pending;
    private int pendingLength;

    /** @param recordSize {@link #RECORD_64} or {@link #RECORD_32} */
    public EvdevDecoder(int recordSize) {
        if (recordSize != RECORD_64 && recordSize != RECORD_32) {
            throw new IllegalArgumentException("input_event records are 24 (64-bit) or 16 (32-bit) bytes, got " + recordSize);
        }
        this.recordSize = recordSize;
        this.pending = new byte[recordSize];
    }

    /** The record size of this JVM's userspace: 24 on a 64-bit JVM, 16 on a 32-bit one. */
    public static int nativeRecordSize() {
        return "32".equals(System.getProperty("sun.arch.data.model")) ? RECORD_32 : RECORD_64;
    }

    public int recordSize() {
        return recordSize;
    }

    /** Bytes of a record received so far and waiting for the rest. */
    public int pendingBytes() {
        return pendingLength;
    }

    /** Feeds {@code n} bytes; returns the records they completed, in order. */
    public List<InputEvent> feed(byte[] buf, int off, int n) {
        List<InputEvent> out = new ArrayList<>(n / recordSize + 1);
        int i = off;
        int end = off + n;
        while (i < end) {
            int take = Math.min(recordSize - pendingLength, end - i);
            System.arraycopy(buf, i, pending, pendingLength, take);
            pendingLength += take;
            i += take;
            if (pendingLength == recordSize) {
                out.add(decode(pending));
                pendingLength = 0;
            }
        }
        return out;
    }

    /** Drops a partial record (the device was reopened). */
    public void reset() {
        pendingLength = 0;
    }

    private InputEvent decode(byte[] r) {
        ByteBuffer b = ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN);
        long sec;
        long usec;
        if (recordSize == RECORD_64) {
            sec = b.getLong();
            usec = b.getLong();
        } else {
            sec = Integer.toUnsignedLong(b.getInt());
            usec = Integer.toUnsignedLong(b.getInt());
        }
        int type = Short.toUnsignedInt(b.getShort());
        int code = Short.toUnsignedInt(b.getShort());
        int value = b.getInt();
        return new InputEvent(sec, usec, type, code, value);
    }

    /** One record as the kernel writes it, for emulators and tests. */
    public static byte[] encode(int recordSize, InputEvent e) {
        ByteBuffer b = ByteBuffer.allocate(recordSize).order(ByteOrder.LITTLE_ENDIAN);
        if (recordSize == RECORD_64) {
            b.putLong(e.seconds()).putLong(e.microseconds());
        } else {
            b.putInt((int) e.seconds()).putInt((int) e.microseconds());
        }
        b.putShort((short) e.type()).putShort((short) e.code()).putInt(e.value());
        return b.array();
    }
}
