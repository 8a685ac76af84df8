package com.onecard.pos.qr;

/** Well-formed payload whose tag 63 does not match the CRC of the text before it. */
public final class QrCrcMismatchException extends QrFormatException {
    private final String expected;
    private final String found;

    public QrCrcMismatchException(String expected, String found, int offset) {
        super("CRC mismatch: expected " + expected + ", found " + found, offset, "63");
        this.expected = expected;
        this.found = found;
    }

    /** CRC computed over the payload. */
    public String expected() {
        return expected;
    }

    /** CRC written in tag 63. */
    public String found() {
        return found;
    }
}
