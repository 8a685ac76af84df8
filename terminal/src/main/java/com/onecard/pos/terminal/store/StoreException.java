package com.onecard.pos.terminal.store;

/**
 * The store could not do what was asked. Nothing was half-written: every write is one
 * transaction, rolled back on failure.
 */
public class StoreException extends RuntimeException {
    /**
     * TAMPERED: the journal fails verification. WRONG_KEY: the journal key in use is not the one
     * the journal was written with (told apart by the key's check value, before any row is judged).
     */
    public enum Kind { DISK_FULL, READ_ONLY, CORRUPT, TAMPERED, WRONG_KEY, IO }

    private final Kind kind;

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static StoreException wrap(String doing, java.sql.SQLException e) {
        String m = String.valueOf(e.getMessage());
        Kind k = m.contains("SQLITE_FULL") || m.contains("disk is full") ? Kind.DISK_FULL
                : m.contains("SQLITE_READONLY") || m.contains("readonly") ? Kind.READ_ONLY
                : m.contains("SQLITE_CORRUPT") || m.contains("malformed") || m.contains("SQLITE_NOTADB") ? Kind.CORRUPT
                : Kind.IO;
        return new StoreException(k, doing + ": " + m, e);
    }
}
