package com.onecard.pos.terminal.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The writer connection of the terminal's SQLite file and the transaction discipline every
 * write goes through: WAL, synchronous=FULL, one transaction per change, rolled back whole on
 * failure, errors named by what was being done. Used from the terminal thread only.
 */
final class Db implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Db.class);
    final Path file;
    final Connection db;

    Db(Path file) throws SQLException {
        this.file = file;
        this.db = connect(file);
    }

    static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=FULL");
            st.execute("PRAGMA busy_timeout=5000");
            st.execute("PRAGMA foreign_keys=ON");
        }
        return c;
    }

    /** Sees every statement prepared on this connection (tests: the query plans of a tap). */
    private volatile java.util.function.Consumer<String> prepared = sql -> { };

    void onPrepare(java.util.function.Consumer<String> listener) {
        this.prepared = listener;
    }

    PreparedStatement prepare(String sql) throws SQLException {
        prepared.accept(sql);
        return db.prepareStatement(sql);
    }

    /** One number from a query whose parameters are bound in order. */
    long queryLong(String doing, String sql, Object... params) {
        try (PreparedStatement ps = prepare(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw StoreException.wrap(doing, e);
        }
    }

    /** Runs a PRAGMA on the writer connection (fault tests: max_page_count, query_only). */
    void pragma(String pragma) {
        try (Statement st = db.createStatement()) {
            st.execute("PRAGMA " + pragma);
        } catch (SQLException e) {
            throw StoreException.wrap("PRAGMA " + pragma, e);
        }
    }

    long pageCount() {
        return scalar("PRAGMA page_count");
    }

    long scalar(String sql) {
        try (PreparedStatement st = prepare(sql); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw StoreException.wrap("running " + sql, e);
        }
    }

    interface Work {
        void run() throws SQLException;
    }

    /** Transactions committed on this connection (each one an fsync). */
    private long commits;

    long commits() {
        return commits;
    }

    void tx(String doing, Work w) {
        try {
            db.setAutoCommit(false);
            try {
                w.run();
                db.commit();
                commits++;
            } catch (SQLException | RuntimeException e) {
                try {
                    db.rollback();
                } catch (SQLException re) {
                    e.addSuppressed(re);
                }
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            StoreException se = StoreException.wrap(doing + " in " + file, e);
            if (se.kind() == StoreException.Kind.IO && outOfSpace()) {
                // SQLite sometimes reports a full disk only as a failed commit; name the real cause.
                se = new StoreException(StoreException.Kind.DISK_FULL, doing + " in " + file + ": database or disk is full", e);
            }
            throw se;
        }
    }

    private boolean outOfSpace() {
        if (file.toAbsolutePath().getParent().toFile().getUsableSpace() < 1024 * 1024) {
            return true;
        }
        try (Statement st = db.createStatement();
             ResultSet a = st.executeQuery("SELECT (SELECT page_count FROM pragma_page_count()) >= (SELECT max_page_count FROM pragma_max_page_count())")) {
            return a.next() && a.getInt(1) == 1;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            log.debug("closing {}", file, e);
        }
    }
}
