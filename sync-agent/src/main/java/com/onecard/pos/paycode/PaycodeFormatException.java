package com.onecard.pos.paycode;

/** A payment code or device certificate whose bytes are not the format: names the field and its offset. */
public final class PaycodeFormatException extends Exception {
    private final String field;
    private final int offset;

    public PaycodeFormatException(String message, String field, int offset) {
        super(message + " (field " + field + " at byte " + offset + ")");
        this.field = field;
        this.offset = offset;
    }

    /** The field that was wrong (docs/paycode.md names them). */
    public String field() {
        return field;
    }

    /** Its offset in the decoded bytes. */
    public int offset() {
        return offset;
    }
}
