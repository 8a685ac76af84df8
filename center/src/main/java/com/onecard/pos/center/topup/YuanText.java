package com.onecard.pos.center.topup;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Amounts as Alipay writes them ("50.00" yuan) to and from fen, strictly: "50.5", "1e3" and "-1.00" are refused. */
public final class YuanText {
    private static final Pattern AMOUNT = Pattern.compile("(0|[1-9]\\d{0,11})\\.(\\d{2})");

    private YuanText() {
    }

    public static String of(long fen) {
        if (fen < 0) {
            throw new IllegalArgumentException("amount must not be negative: " + fen);
        }
        return fen / 100 + "." + String.format("%02d", fen % 100);
    }

    /** Fen, or -1 when the text is not an amount with exactly two decimals. */
    public static long parse(String text) {
        if (text == null) {
            return -1;
        }
        Matcher m = AMOUNT.matcher(text);
        return m.matches() ? Long.parseLong(m.group(1)) * 100 + Long.parseLong(m.group(2)) : -1;
    }
}
