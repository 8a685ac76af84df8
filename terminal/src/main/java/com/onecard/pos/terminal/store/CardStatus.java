package com.onecard.pos.terminal.store;

/** An account's status as the policy sees it; the wire's status codes are mapped here by the cache. */
public enum CardStatus {
    ACTIVE,
    LOST,
    FROZEN,
    EXPIRED,
    /** A status code this firmware does not know: the card is not served. */
    UNKNOWN;

    /** The status for a wire code ({@code AccountStatus} number); unknown codes map to {@link #UNKNOWN}. */
    public static CardStatus fromWire(int code) {
        return switch (code) {
            case 1 -> ACTIVE;
            case 2 -> LOST;
            case 3 -> FROZEN;
            case 4 -> EXPIRED;
            default -> UNKNOWN;
        };
    }
}
