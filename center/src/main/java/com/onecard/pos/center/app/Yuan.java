package com.onecard.pos.center.app;

/** Fen as the app prints yuan: sign, whole yuan, two decimals. */
final class Yuan {
    private Yuan() {
    }

    static String of(long fen) {
        long abs = Math.abs(fen);
        return (fen < 0 ? "-" : "") + (abs / 100) + "." + String.format("%02d", abs % 100);
    }
}
