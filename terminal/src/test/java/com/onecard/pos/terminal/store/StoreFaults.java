package com.onecard.pos.terminal.store;

/** Puts a store into the states a worn SD card or a full disk leaves it in. Tests only. */
public final class StoreFaults {
    private StoreFaults() {
    }

    public static void readOnly(Store s) {
        s.pragma("query_only=1");
    }

    public static void full(Store s) {
        s.pragma("max_page_count=" + s.pageCount());
    }
}
