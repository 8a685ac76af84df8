package com.onecard.pos.terminal.sale;

import java.time.Instant;

/**
 * One code read by the window's QR / barcode scanner: what the student showed (a payment code,
 * or anything else with a barcode), and when the scanner delivered it. The text is a bearer
 * credential when it is a payment code: never logged, never shown whole.
 *
 * @param text the code as the scanner sent it (UTF-8, terminator removed)
 * @param at   when the line ended (the terminal's clock)
 */
public record ScannedCode(String text, Instant at) {
    public ScannedCode {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a scanned code has text");
        }
    }

    @Override
    public String toString() {
        return "ScannedCode[" + text.length() + " chars at " + at + "]";
    }
}
