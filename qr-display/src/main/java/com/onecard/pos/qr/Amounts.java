package com.onecard.pos.qr;

/** Fen ↔ the EMVCo decimal text ("12.50"), with integer arithmetic only. */
public final class Amounts {
    private static final long MAX_FEN = 9_999_999_999_99L; // 13 characters with the dot

    private Amounts() {
    }

    /** 1250 → "12.50". */
    public static String toDecimal(long fen) {
        if (fen < 0 || fen > MAX_FEN) {
            throw new IllegalArgumentException("amount out of range: " + fen + " fen");
        }
        long frac = fen % 100;
        return (fen / 100) + (frac < 10 ? ".0" : ".") + frac;
    }

    /**
     * "12.50" → 1250. Only the exact form {@link #toDecimal} writes is accepted, so one amount
     * has one spelling.
     */
    public static long parseFen(String text) throws QrFormatException {
        if (text == null || text.length() > 13 || !text.matches("(0|[1-9][0-9]*)\\.[0-9]{2}")) {
            throw new QrFormatException("bad amount '" + text + "'", 0, "54");
        }
        int dot = text.indexOf('.');
        return Long.parseLong(text.substring(0, dot)) * 100 + Long.parseLong(text.substring(dot + 1));
    }
}
