package com.onecard.pos.center;

import java.time.Duration;

/**
 * The ledger's rules that a campus may set.
 *
 * @param reversalWindow the longest a REVERSAL may come after its sale (by the rows' times)
 * @param holdFor        how long an online approval holds the amount if the sale's row does not come
 * @param holdRetention  how long a hold is kept after it stopped counting (consumed, released, expired)
 *                       before housekeeping deletes it; a release's tombstone must outlive its request
 */
public record LedgerPolicy(Duration reversalWindow, Duration holdFor, Duration holdRetention) {
    public static final Duration DEFAULT_HOLD_RETENTION = Duration.ofHours(24);
    public static final LedgerPolicy DEFAULT = new LedgerPolicy(Duration.ofHours(24), Duration.ofMinutes(2));

    public LedgerPolicy {
        if (reversalWindow.isNegative() || reversalWindow.isZero()) {
            throw new IllegalArgumentException("reversal window must be positive: " + reversalWindow);
        }
        if (holdFor.isNegative() || holdFor.isZero()) {
            throw new IllegalArgumentException("hold time must be positive: " + holdFor);
        }
        if (holdRetention.isNegative() || holdRetention.isZero()) {
            throw new IllegalArgumentException("hold retention must be positive: " + holdRetention);
        }
    }

    /** With the default hold retention (24 h). */
    public LedgerPolicy(Duration reversalWindow, Duration holdFor) {
        this(reversalWindow, holdFor, DEFAULT_HOLD_RETENTION);
    }
}
