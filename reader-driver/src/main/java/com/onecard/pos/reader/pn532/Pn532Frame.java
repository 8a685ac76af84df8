package com.onecard.pos.reader.pn532;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One PN532 HSU frame as a value. {@link Kind#DATA} frames carry a TFI (D4 host to chip,
 * D5 chip to host) and the packet data PD0..PDn, PD0 being the command or response code.
 * Frames are immutable; {@link #payload()} returns a copy.
 */
public final class Pn532Frame {
    public static final int TFI_HOST = 0xD4;
    public static final int TFI_CHIP = 0xD5;
    public static final int TFI_ERROR = 0x7F;
    /** Longest TFI+PD the chip can send or accept (UM0701 §6.2.1.2: 265 bytes in extended frames). */
    public static final int MAX_LENGTH = 265;

    public enum Kind { DATA, ACK, NACK, ERROR }

    private static final byte[] ACK_BYTES = {0x00, 0x00, (byte) 0xFF, 0x00, (byte) 0xFF, 0x00};
    private static final byte[] NACK_BYTES = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF, 0x00, 0x00};
    private static final byte[] ERROR_BYTES = {0x00, 0x00, (byte) 0xFF, 0x01, (byte) 0xFF, 0x7F, (byte) 0x81, 0x00};

    private static final Pn532Frame ACK = new Pn532Frame(Kind.ACK, 0, new byte[0]);
    private static final Pn532Frame NACK = new Pn532Frame(Kind.NACK, 0, new byte[0]);
    private static final Pn532Frame ERROR = new Pn532Frame(Kind.ERROR, TFI_ERROR, new byte[0]);

    private final Kind kind;
    private final int tfi;
    private final byte[] payload;

    private Pn532Frame(Kind kind, int tfi, byte[] payload) {
        this.kind = kind;
        this.tfi = tfi;
        this.payload = payload;
    }

    public static Pn532Frame ack() {
        return ACK;
    }

    public static Pn532Frame nack() {
        return NACK;
    }

    public static Pn532Frame error() {
        return ERROR;
    }

    /** A data frame; {@code payload} is PD0..PDn (at least the command code). */
    public static Pn532Frame data(int tfi, byte[] payload) {
        if (payload.length == 0 || payload.length + 1 > MAX_LENGTH) {
            throw new IllegalArgumentException("PN532 payload must be 1.." + (MAX_LENGTH - 1) + " bytes, got " + payload.length);
        }
        return new Pn532Frame(Kind.DATA, tfi & 0xFF, payload.clone());
    }

    /** Host to chip: command code followed by its parameters. */
    public static Pn532Frame command(int code, byte... params) {
        byte[] p = new byte[params.length + 1];
        p[0] = (byte) code;
        System.arraycopy(params, 0, p, 1, params.length);
        return data(TFI_HOST, p);
    }

    /** Chip to host: response code (command + 1) followed by its data. */
    public static Pn532Frame response(int commandCode, byte... data) {
        byte[] p = new byte[data.length + 1];
        p[0] = (byte) (commandCode + 1);
        System.arraycopy(data, 0, p, 1, data.length);
        return data(TFI_CHIP, p);
    }

    public Kind kind() {
        return kind;
    }

    public int tfi() {
        return tfi;
    }

    public byte[] payload() {
        return payload.clone();
    }

    /** PD0, the command or response code; -1 for non-data frames. */
    public int code() {
        return kind == Kind.DATA ? payload[0] & 0xFF : -1;
    }

    /** PD1..PDn: the parameters of a command or the data of a response. */
    public byte[] body() {
        return kind == Kind.DATA ? Arrays.copyOfRange(payload, 1, payload.length) : new byte[0];
    }

    public boolean isResponseTo(int commandCode) {
        return kind == Kind.DATA && tfi == TFI_CHIP && code() == ((commandCode + 1) & 0xFF);
    }

    /** Wire bytes with a one-byte preamble and postamble; extended framing above 254 data bytes. */
    public byte[] encode() {
        switch (kind) {
            case ACK: return ACK_BYTES.clone();
            case NACK: return NACK_BYTES.clone();
            case ERROR: return ERROR_BYTES.clone();
            default: break;
        }
        int len = payload.length + 1;
        boolean extended = len > 0xFE;
        byte[] out = new byte[len + (extended ? 10 : 7)];
        int i = 0;
        out[i++] = 0x00;
        out[i++] = 0x00;
        out[i++] = (byte) 0xFF;
        if (extended) {
            out[i++] = (byte) 0xFF;
            out[i++] = (byte) 0xFF;
            out[i++] = (byte) (len >> 8);
            out[i++] = (byte) len;
            out[i++] = (byte) -((len >> 8) + len);
        } else {
            out[i++] = (byte) len;
            out[i++] = (byte) -len;
        }
        int sum = tfi;
        out[i++] = (byte) tfi;
        for (byte b : payload) {
            out[i++] = b;
            sum += b & 0xFF;
        }
        out[i++] = (byte) -sum;
        out[i] = 0x00;
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pn532Frame f && f.kind == kind && f.tfi == tfi && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + tfi) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return kind == Kind.DATA
                ? String.format("Pn532Frame[%02X %s]", tfi, HexFormat.of().withUpperCase().formatHex(payload))
                : "Pn532Frame[" + kind + "]";
    }
}
