package com.onecard.pos.sim.center;

/** The ledger's database failed; the message says what the ledger was doing. */
public final class LedgerException extends RuntimeException {
    public LedgerException(String doing, Throwable cause) {
        super(doing + " failed: " + cause.getMessage(), cause);
    }
}
