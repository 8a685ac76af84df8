package com.onecard.pos.qr;

/**
 * A payload that is not well-formed EMVCo text. The message names the character offset
 * (in Unicode code points, as EMVCo lengths count characters) and the tag concerned.
 */
public class QrFormatException extends Exception {
    private final int offset;
    private final String tag;

    public QrFormatException(String message, int offset, String tag) {
        super(message + " (offset " + offset + (tag == null ? "" : ", tag " + tag) + ")");
        this.offset = offset;
        this.tag = tag;
    }

    /** Code-point offset into the payload where the problem was found. */
    public int offset() {
        return offset;
    }

    /** The tag concerned, or null when the problem precedes any tag. */
    public String tag() {
        return tag;
    }
}
