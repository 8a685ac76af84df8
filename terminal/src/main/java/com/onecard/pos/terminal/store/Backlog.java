package com.onecard.pos.terminal.store;

/**
 * Journal rows the center has not acknowledged yet.
 *
 * @param count        rows not acknowledged
 * @param sumFen       their money (sales minus reversals)
 * @param oldestTimeMs time of the oldest of them, 0 when none
 * @param lastSeq      last journal sequence
 * @param ackedSeq     last acknowledged sequence
 */
public record Backlog(long count, long sumFen, long oldestTimeMs, long lastSeq, long ackedSeq) {
}
