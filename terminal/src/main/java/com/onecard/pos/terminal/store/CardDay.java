package com.onecard.pos.terminal.store;

/**
 * One card's day at this terminal, net of reversals.
 *
 * @param offlineFen  money of its offline sales today
 * @param spentFen    money of all its sales today (card and QR)
 * @param periodSales its sales in the current meal period that were not reversed
 */
public record CardDay(long offlineFen, long spentFen, int periodSales) {
}
