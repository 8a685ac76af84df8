package com.onecard.pos.terminal.auth;

import com.onecard.pos.terminal.store.Purses;

/**
 * The outcome of one authorization. Approved decisions carry how the amount splits over the
 * purses and the balance left; declined ones carry the reason.
 */
public record Decision(boolean approved, DeclineReason reason, Purses debit, Purses balanceAfter) {

    public static Decision approve(Purses debit, Purses balanceAfter) {
        return new Decision(true, null, debit, balanceAfter);
    }

    public static Decision decline(DeclineReason reason) {
        return new Decision(false, reason, Purses.ZERO, Purses.ZERO);
    }
}
