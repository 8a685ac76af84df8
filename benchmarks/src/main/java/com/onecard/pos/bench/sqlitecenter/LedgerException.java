package com.onecard.pos.bench.sqlitecenter;

/** The ledger's database failed; the message says what the ledger was doing. */
public final class LedgerException extends RuntimeException {
    public LedgerException(String doing, Throwable cause) {
        super(doing + " failed: " + cause.getMessage(), cause);
    }
}
