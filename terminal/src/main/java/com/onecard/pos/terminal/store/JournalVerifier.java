package com.onecard.pos.terminal.store;

import com.onecard.pos.terminal.journal.JournalSealer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Checks the journal off the terminal thread, on its own read-only connection (WAL lets it read
 * while sales commit; it never takes the writer's lock): the MAC chain from the last checkpoint
 * or in full, and SQLite's own consistency check. Moving the checkpoint is a write, left to the
 * caller on the terminal thread ({@link Store#saveCheckpoint}). Thread-safe; one check at a time.
 */
public final class JournalVerifier implements AutoCloseable {
    /**
     * What a check found.
     *
     * @param from    the point it verified from
     * @param head    the point it reached (the last row that verified)
     * @param rows    rows checked
     * @param problem the first problem, or null when intact
     * @param ms      how long it took
     */
    public record Report(ChainPoint from, ChainPoint head, long rows, String problem, long ms) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * Rows a walk checks between two calls of its {@code between}: ≈ 1.5 ms of one core with the key in the
     * token on a PC (each row's HMAC runs there), so a check that yields to sales stops within that of a
     * card answering; a pause with no sale held costs one lock.
     */
    public static final int BATCH_ROWS = 16;

    private final Path file;
    private final JournalSealer sealer;
    private final Connection db;

    public JournalVerifier(Path file, JournalSealer sealer) {
        this.file = file;
        this.sealer = sealer;
        try {
            this.db = Db.connect(file);
            try (Statement st = db.createStatement()) {
                st.execute("PRAGMA query_only=1");
            }
        } catch (SQLException e) {
            throw StoreException.wrap("opening journal verifier on " + file, e);
        }
    }

    /** The chain from the last checkpoint to the head: the rows written since the last check. */
    public Report fromCheckpoint() {
        return fromCheckpoint(() -> { });
    }

    /**
     * As {@link #fromCheckpoint()}; {@code between} runs after every {@link #BATCH_ROWS} rows walked (a check that yields to
     * sales waits there; the walk stays on one read snapshot, so the verdict is the same).
     */
    public synchronized Report fromCheckpoint(Runnable between) {
        return check(true, between);
    }

    /** The whole chain in this file, from the archive boundary or genesis. */
    public Report full() {
        return full(() -> { });
    }

    /** As {@link #full()}, {@code between} running after every {@link #BATCH_ROWS} rows walked. */
    public synchronized Report full(Runnable between) {
        return check(false, between);
    }

    private Report check(boolean fromCheckpoint, Runnable between) {
        long t0 = System.nanoTime();
        try {
            db.setAutoCommit(false); // one read snapshot for the whole walk
            try {
                ChainPoint start = ChainWalk.start(db, sealer);
                ChainPoint from = fromCheckpoint ? ChainWalk.checkpoint(db, sealer, start) : start;
                var r = ChainWalk.walk(db, sealer, from, between);
                return new Report(from, r.head(), r.rows(), r.problem(), (System.nanoTime() - t0) / 1_000_000);
            } finally {
                db.rollback();
                db.setAutoCommit(true);
            }
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.CORRUPT) {
                throw e;
            }
            return new Report(ChainPoint.genesis(), ChainPoint.genesis(), 0, e.getMessage(), (System.nanoTime() - t0) / 1_000_000);
        } catch (SQLException e) {
            throw StoreException.wrap("verifying the journal in " + file, e);
        }
    }

    /** SQLite's consistency check of the file: "ok" when sound. */
    public synchronized String quickCheck() {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
            return rs.next() ? rs.getString(1) : "no answer";
        } catch (SQLException e) {
            throw StoreException.wrap("checking " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // a read-only connection loses nothing when closed
        }
    }
}
