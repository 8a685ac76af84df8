package com.onecard.pos.terminal.app;

import java.time.Duration;

/**
 * A check that yields to sales: {@link #pause()} between its steps (and between batches of journal
 * rows in a chain walk) waits while a card is being sold ({@link TerminalLoop#awaitNoSale}), so the
 * check's CPU goes after the sale's outcome instead of into the card's read on a two-core terminal.
 * Bounded twice, so a check is never starved: one sale's hold ends at its outcome or after
 * {@link ReaderEvents#SALE_HOLD} (500 ms), and all the pauses of one check together wait at most
 * {@code budget}; after that the check runs its steps without waiting. The check's verdict does not
 * change: no step is skipped, it only starts later. One check, one thread.
 */
final class SaleYield {
    /** The minute's selftest waits at most this long in all for sales (posctl's own timeout is 30 s). */
    static final Duration SELFTEST_BUDGET = Duration.ofSeconds(2);
    /** The daily full check (the whole chain, seconds on a year of sales) waits at most this long in all. */
    static final Duration DAILY_BUDGET = Duration.ofSeconds(60);

    private final TerminalLoop loop;
    private final long budgetNanos;
    private long waitedNanos;
    private int pauses;

    SaleYield(TerminalLoop loop, Duration budget) {
        this.loop = loop;
        this.budgetNanos = budget.toNanos();
    }

    /** Waits while a card is being sold, within what is left of the budget; at once when none is. */
    void pause() {
        pauses++;
        long left = budgetNanos - waitedNanos;
        if (left > 0) {
            waitedNanos += loop.awaitNoSale(Duration.ofNanos(left));
        }
    }

    /** Milliseconds waited for sales so far, all pauses together (at most the budget, plus scheduling). */
    long waitedMs() {
        return waitedNanos / 1_000_000;
    }

    /** Pauses so far (tests). */
    int pauses() {
        return pauses;
    }
}
