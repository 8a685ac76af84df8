package com.onecard.pos.terminal.sale;

import com.onecard.pos.terminal.auth.DeclineReason;

/**
 * The end of one sale as the cashier and the logs see it.
 *
 * @param seq            journal sequence of the approved sale, 0 when declined
 * @param mode           "online", "offline", "qr" or "" when no decision was reached
 * @param decisionMicros card tap (or QR notice) to committed decision, microseconds
 */
public record SaleOutcome(String saleId, boolean approved, DeclineReason reason, long amountFen, String uidHex,
                          long accountId, String holder, long balanceAfterFen, long seq, String mode,
                          long decidedAtMs, long decisionMicros) {

    public String reasonCode() {
        return reason == null ? "" : reason.name();
    }
}
