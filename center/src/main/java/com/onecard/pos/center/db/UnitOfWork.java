package com.onecard.pos.center.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs work in one database transaction shared by every aggregate it touches, as the
 * terminal's {@code Db.tx} does: commit when the work returns, roll back when it throws or
 * asks to. A transaction that PostgreSQL aborts as a deadlock or serialization failure is run
 * again from the start (a few times); any other SQL failure becomes a {@link LedgerException}
 * naming what was being done, with nothing of the work applied.
 */
public final class UnitOfWork {
    /** Gives the work's changes their stream versions and announces them, inside the transaction. */
    public interface Sealer {
        void seal(Tx tx) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    private static final Logger log = LoggerFactory.getLogger(UnitOfWork.class);
    private static final int MAX_ATTEMPTS = 5;

    private final Database db;
    private final Sealer sealer;

    public UnitOfWork(Database db, Sealer sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    /** Read-write work; {@code what} names it in errors ("ingesting 500 rows of T01"). */
    public <T> T run(String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = db.connection()) {
                Tx tx = new Tx(c);
                try {
                    T value = work.run(tx);
                    if (tx.isRollbackOnly()) {
                        c.rollback();
                        return value;
                    }
                    sealer.seal(tx);
                    c.commit();
                    for (Runnable r : tx.afterCommitActions()) {
                        r.run();
                    }
                    return value;
                } catch (SQLException e) {
                    rollbackQuietly(c);
                    if (retryable(e) && attempt < MAX_ATTEMPTS) {
                        log.debug("{}: {} (attempt {}), running it again", what, e.getMessage(), attempt);
                        continue;
                    }
                    throw new LedgerException(what, e);
                } catch (RuntimeException | Error e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                throw new LedgerException(what + " (no database connection)", e);
            }
        }
    }

    /** Read-only work on one consistent snapshot (REPEATABLE READ). */
    public <T> T read(String what, Work<T> work) {
        try (Connection c = db.connection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                T value = work.run(new Tx(c));
                c.rollback();
                return value;
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw new LedgerException(what, e);
            } catch (RuntimeException | Error e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerException(what + " (no database connection)", e);
        }
    }

    static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed: {}", e.getMessage());
        }
    }
}
