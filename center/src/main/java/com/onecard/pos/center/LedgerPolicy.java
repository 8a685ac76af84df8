package com.onecard.pos.center;

import java.time.Duration;

/**
 * The ledger's rules that a campus may set.
 *
 * @param reversalWindow the longest a REVERSAL may come after its sale (by the rows' times)
 * @param holdFor        how long an online approval holds the amount if the sale's row does not come
 */
public record LedgerPolicy(Duration reversalWindow, Duration holdFor) {
    public static final LedgerPolicy DEFAULT = new LedgerPolicy(Duration.ofHours(24), Duration.ofMinutes(2));

    public LedgerPolicy {
        if (reversalWindow.isNegative() || reversalWindow.isZero()) {
            throw new IllegalArgumentException("reversal window must be positive: " + reversalWindow);
        }
        if (holdFor.isNegative() || holdFor.isZero()) {
            throw new IllegalArgumentException("hold time must be positive: " + holdFor);
        }
    }
}
