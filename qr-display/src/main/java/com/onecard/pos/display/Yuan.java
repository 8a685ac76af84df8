package com.onecard.pos.display;

/** Formats fen as the yuan amount students read: 1250 → "¥12.50". Integer arithmetic only. */
public final class Yuan {
    private Yuan() {
    }

    public static String format(long fen) {
        String sign = fen < 0 ? "-" : "";
        long abs = Math.abs(fen);
        long frac = abs % 100;
        return sign + "¥" + (abs / 100) + (frac < 10 ? ".0" : ".") + frac;
    }
}
