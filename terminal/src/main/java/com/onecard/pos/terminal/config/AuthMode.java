package com.onecard.pos.terminal.config;

/** How the terminal decides a card sale. */
public enum AuthMode {
    /** Ask the center within the online deadline, fall back to offline stand-in. */
    PREFER_ONLINE("prefer-online"),
    /** Refuse when the center does not answer in time. */
    ONLINE_ONLY("online-only"),
    /** Never ask the center; decide against the local cache. */
    OFFLINE_ONLY("offline-only");

    private final String key;

    AuthMode(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static AuthMode parse(String s) {
        for (AuthMode m : values()) {
            if (m.key.equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("expected prefer-online, online-only or offline-only, got '" + s + "'");
    }
}
