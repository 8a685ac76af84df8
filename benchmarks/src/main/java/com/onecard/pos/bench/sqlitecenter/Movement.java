package com.onecard.pos.bench.sqlitecenter;

/**
 * One change of an account's purses (or a sighting, amount 0). Signed: debits negative.
 *
 * @param overdraft an offline sale took a purse below zero; accepted because it happened
 */
public record Movement(long accountId, String kind, String terminalId, long seq, long subsidyFen, long cashFen,
                       String channel, boolean overdraft, long timeMs) {
}
