package com.onecard.pos.terminal.sale;

/**
 * Where the sale flow's results go: buzzer/LEDs, customer screen, log line, waiting clients.
 * Called on the terminal thread after the decision is committed; implementations must not block.
 */
public interface SaleSignals {
    void waitingForCard(String saleId, long amountFen);

    void outcome(SaleOutcome outcome);

    void idle();

    /** The sale needs the card password: show the prompt. */
    void pinRequired(String saleId, long amountFen);

    /** Show (or refresh the countdown of) a payment QR code. */
    void showQr(String saleId, long amountFen, String payload, long secondsLeft);

    /** The terminal no longer accepts payment for this code (cancel or expiry): tell the center. */
    void qrClosed(String token, String saleId);

    /** A notice for the customer display. */
    void message(String text);
}
