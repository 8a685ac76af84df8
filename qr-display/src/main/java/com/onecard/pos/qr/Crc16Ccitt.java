package com.onecard.pos.qr;

import java.nio.charset.StandardCharsets;

/**
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor), the checksum
 * EMVCo puts in tag 63. It catches scanning and typing errors only; it is not security.
 */
public final class Crc16Ccitt {
    private static final int[] TABLE = table();

    private Crc16Ccitt() {
    }

    public static int compute(byte[] data) {
        return compute(data, 0, data.length);
    }

    public static int compute(byte[] data, int offset, int length) {
        int crc = 0xFFFF;
        for (int i = offset; i < offset + length; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ data[i]) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    /** CRC of the text's UTF-8 bytes, as the 4 uppercase hex digits EMVCo writes. */
    public static String hex(CharSequence text) {
        int crc = compute(text.toString().getBytes(StandardCharsets.UTF_8));
        return toHex(crc);
    }

    static String toHex(int crc) {
        String h = Integer.toHexString(crc).toUpperCase(java.util.Locale.ROOT);
        return "0000".substring(h.length()) + h;
    }

    private static int[] table() {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            int c = i << 8;
            for (int b = 0; b < 8; b++) {
                c = (c & 0x8000) != 0 ? (c << 1) ^ 0x1021 : c << 1;
            }
            t[i] = c & 0xFFFF;
        }
        return t;
    }
}
