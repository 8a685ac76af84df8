package com.onecard.pos.display;

import java.time.format.DateTimeFormatter;

/** The status bar as text, shared by every renderer so all displays say the same thing. */
final class StatusLine {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private StatusLine() {
    }

    static String label(StatusBar s) {
        return s.terminalLabel() == null ? "" : s.terminalLabel();
    }

    static String connectivity(StatusBar s) {
        return s.online() ? "● 在线" : "○ 离线 OFFLINE";
    }

    static String unsynced(StatusBar s) {
        return "待上传 " + s.unsyncedCount();
    }

    static String time(StatusBar s) {
        return s.time() == null ? "--:--" : HH_MM.format(s.time());
    }

    static String format(StatusBar s) {
        return label(s) + "  " + connectivity(s) + "  " + unsynced(s) + "  " + time(s);
    }
}
