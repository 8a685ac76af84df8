package com.onecard.pos.terminal.sale;

import com.onecard.pos.terminal.auth.DeclineReason;

/**
 * The end of one sale as the cashier and the logs see it.
 *
 * @param seq            journal sequence of the approved sale, 0 when declined
 * @param mode           "online", "offline", "qr" or "" when no decision was reached
 * @param decisionMicros the reader reporting the tap (campus sector read) or the QR notice arriving, to the
 *                       committed decision, microseconds: the terminal's own share of a sale
 */
public record SaleOutcome(String saleId, boolean approved, DeclineReason reason, long amountFen, String uidHex,
                          long accountId, String holder, long balanceAfterFen, long seq, String mode,
                          long decidedAtMs, long decisionMicros) {

    public String reasonCode() {
        return reason == null ? "" : reason.name();
    }
}
