package com.onecard.pos.terminal.store;

/** Two purses in fen. Subsidy is spent first. */
public record Purses(long subsidyFen, long cashFen) {
    public static final Purses ZERO = new Purses(0, 0);

    public long total() {
        return subsidyFen + cashFen;
    }

    public Purses minus(Purses o) {
        return new Purses(subsidyFen - o.subsidyFen, cashFen - o.cashFen);
    }
}
