package com.onecard.pos.terminal.sale;

/**
 * Where the sale flow's results go: buzzer/LEDs, customer screen, log line, waiting clients.
 * Called on the terminal thread after the decision is committed; implementations must not block.
 */
public interface SaleSignals {
    void waitingForCard(String saleId, long amountFen);

    void outcome(SaleOutcome outcome);

    void idle();
}
