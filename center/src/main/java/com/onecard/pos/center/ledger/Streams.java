package com.onecard.pos.center.ledger;

import java.util.List;

/**
 * The downstream streams. "accounts" and "blacklist" are latest-state-per-key (a terminal's
 * cursor selects every key changed after it); "messages", "qr", "config", "paycode" and "photos" are append-only logs.
 */
public final class Streams {
    public static final String ACCOUNTS = "accounts";
    public static final String BLACKLIST = "blacklist";
    public static final String MESSAGES = "messages";
    public static final String QR = "qr";
    public static final String CONFIG = "config";
    /** The order in which a transaction takes the streams' version counters (so never a deadlock). */
    /** Payment-code issuer keys and certificate revocations (docs/paycode.md). */
    public static final String PAYCODE = "paycode";
    /** Approved card photos as thumbnails, for the cashier's side of the window's screen. */
    public static final String PHOTOS = "photos";
    public static final List<String> APPEND_ONLY = List.of(MESSAGES, QR, CONFIG, PAYCODE, PHOTOS);
    /** Channel of the PostgreSQL notification that announces committed versions to every instance. */
    public static final String CHANNEL = "onecard_streams";

    private Streams() {
    }
}
