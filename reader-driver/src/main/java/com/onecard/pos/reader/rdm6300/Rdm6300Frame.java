package com.onecard.pos.reader.rdm6300;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One RDM6300 (EM4100) frame: {@code 02 | 10 ASCII hex (version + 4 tag bytes) | 2 ASCII hex
 * checksum | 03}, the checksum being the XOR of the 5 data bytes.
 *
 * @param data the 5 data bytes: 1 version (customer) byte, then the 4-byte tag number
 */
public record Rdm6300Frame(byte[] data) {
    public static final int DATA_LENGTH = 5;
    public static final int WIRE_LENGTH = 1 + 2 * DATA_LENGTH + 2 + 1;
    static final byte STX = 0x02;
    static final byte ETX = 0x03;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    public Rdm6300Frame {
        if (data == null || data.length != DATA_LENGTH) {
            throw new IllegalArgumentException("an RDM6300 frame carries " + DATA_LENGTH + " data bytes");
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public static int checksum(byte[] data5) {
        int x = 0;
        for (byte b : data5) {
            x ^= b & 0xFF;
        }
        return x;
    }

    /** The bytes the module sends for this tag. */
    public byte[] encode() {
        String ascii = HEX.formatHex(data) + HEX.toHexDigits((byte) checksum(data));
        byte[] out = new byte[WIRE_LENGTH];
        out[0] = STX;
        for (int i = 0; i < ascii.length(); i++) {
            out[1 + i] = (byte) ascii.charAt(i);
        }
        out[WIRE_LENGTH - 1] = ETX;
        return out;
    }

    public String hex() {
        return HEX.formatHex(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rdm6300Frame f && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Rdm6300Frame[" + hex() + "]";
    }
}
