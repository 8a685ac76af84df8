package com.onecard.pos.terminal.sale;

import com.onecard.pos.terminal.auth.DeclineReason;

/**
 * The end of one sale as the cashier and the logs see it.
 *
 * @param seq            journal sequence of the approved sale, 0 when declined
 * @param mode           "online", "offline", "qr" or "" when no decision was reached
 * @param decisionMicros the reader reporting the tap (campus sector read) or the QR notice arriving, to the
 *                       committed decision, microseconds: the terminal's own share of a sale
 * @param committedAtMicros when a card tap's decision was committed, epoch microseconds on the terminal's
 *                       clock (0 for other sales): what "card present → decision committed" ends at
 */
public record SaleOutcome(String saleId, boolean approved, DeclineReason reason, long amountFen, String uidHex,
                          long accountId, String holder, long balanceAfterFen, long seq, String mode,
                          long decidedAtMs, long decisionMicros, long committedAtMicros) {

    /** An outcome that is not a card tap's decision (no commit instant). */
    public SaleOutcome(String saleId, boolean approved, DeclineReason reason, long amountFen, String uidHex,
                       long accountId, String holder, long balanceAfterFen, long seq, String mode,
                       long decidedAtMs, long decisionMicros) {
        this(saleId, approved, reason, amountFen, uidHex, accountId, holder, balanceAfterFen, seq, mode, decidedAtMs,
                decisionMicros, 0);
    }

    public String reasonCode() {
        return reason == null ? "" : reason.name();
    }
}
