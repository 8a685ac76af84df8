package com.onecard.pos.center.db;

/** The ledger could not do what was asked (database unreachable, a constraint broken); says what it was doing. */
public class LedgerException extends RuntimeException {
    public LedgerException(String what, Throwable cause) {
        super(what + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
    }

    public LedgerException(String message) {
        super(message);
    }
}
