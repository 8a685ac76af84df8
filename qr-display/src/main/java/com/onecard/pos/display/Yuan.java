package com.onecard.pos.display;

/** Formats fen as the yuan amount students read: 1250 → "¥12.50", and reads what a cashier types. Integer arithmetic only. */
public final class Yuan {
    /** The largest amount a cashier may type: 100000.00 yuan. */
    public static final long MAX_FEN = 10_000_000L;

    private Yuan() {
    }

    /**
     * Reads an amount typed in yuan: ASCII digits, optionally a dot and decimals, of which at
     * most 2 may be other than 0 ("12", "12.5", "12.50", "12.500"). No sign, exponent, grouping
     * or other script's digits ("1e2" and "١٢" are refused, not read as 100 and 12).
     *
     * @return the amount in fen, 0..{@link #MAX_FEN}
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static long parseFen(String text) {
        String t = text == null ? "" : text.strip();
        if (!t.matches("[0-9]{1,9}(\\.[0-9]{1,9})?")) {
            throw new IllegalArgumentException("'" + text + "' is not an amount in yuan like 12.50 (digits, a dot, at most 2 decimals)");
        }
        int dot = t.indexOf('.');
        String whole = dot < 0 ? t : t.substring(0, dot);
        String decimals = dot < 0 ? "" : t.substring(dot + 1).replaceFirst("0+$", "");
        if (decimals.length() > 2) {
            throw new IllegalArgumentException("'" + text + "' has more than 2 decimals; a fen is 0.01 yuan");
        }
        long fen = Long.parseLong(whole) * 100 + (decimals.isEmpty() ? 0 : Long.parseLong((decimals + "0").substring(0, 2)));
        if (fen > MAX_FEN) {
            throw new IllegalArgumentException("'" + text + "' is over the largest amount, " + format(MAX_FEN));
        }
        return fen;
    }

    public static String format(long fen) {
        String sign = fen < 0 ? "-" : "";
        long abs = Math.abs(fen);
        long frac = abs % 100;
        return sign + "¥" + (abs / 100) + (frac < 10 ? ".0" : ".") + frac;
    }
}
