package com.onecard.pos.terminal.store;

import com.onecard.pos.sync.proto.JournalRow;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Read-only view of the journal for the sync agent's thread, on its own connection so that
 * uploads never wait for the terminal thread and never write.
 */
public final class OutboxReader implements AutoCloseable {
    private final Path file;
    private final Connection db;
    private final JournalArchive archive;

    public OutboxReader(Path file) {
        this.file = file;
        this.archive = new JournalArchive(file, java.time.ZoneId.systemDefault());
        try {
            this.db = Db.connect(file);
            try (var st = this.db.createStatement()) {
                st.execute("PRAGMA query_only=1");
            }
        } catch (SQLException e) {
            throw StoreException.wrap("opening journal reader on " + file, e);
        }
    }

    public synchronized List<JournalRow> rowsAfter(long afterSeq, int max) {
        try (PreparedStatement ps = db.prepareStatement(JournalRows.SELECT + " WHERE seq>? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, afterSeq);
            ps.setInt(2, max);
            List<JournalRow> out = new ArrayList<>(Math.min(max, 1024));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(JournalRows.read(rs));
                }
            }
            if (out.isEmpty() || out.get(0).getSeq() > afterSeq + 1) {
                // rows the center asks for again (restored from a backup) may be in the archive by now
                List<JournalRow> archived = archive.rowsAfter(afterSeq, max);
                if (!archived.isEmpty()) {
                    List<JournalRow> both = new ArrayList<>(archived);
                    for (JournalRow r : out) {
                        if (both.size() >= max) {
                            break;
                        }
                        if (r.getSeq() > both.get(both.size() - 1).getSeq()) {
                            both.add(r);
                        }
                    }
                    return both;
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.wrap("reading journal after " + afterSeq + " in " + file, e);
        }
    }

    /**
     * The store-and-forward backlog: journal rows after the acknowledged watermark.
     *
     * @param count       rows not yet acknowledged by the center
     * @param sumFen      their net amount, fen: sales (card and payment code) add, reversals subtract, as {@link Backlog#sumFen()}
     * @param oldestAgeMs {@code nowMs} minus the oldest such row's time_ms (0 when none, never negative)
     */
    public record Unsent(long count, long sumFen, long oldestAgeMs) {
    }

    /**
     * The rows after {@code ackedSeq} (one indexed range scan of the primary key), for the card
     * office's fleet page; read on this reader's connection, never the terminal thread's.
     *
     * @param nowMs the injected clock's now, ms
     */
    public synchronized Unsent unsent(long ackedSeq, long nowMs) {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT COUNT(*), COALESCE(SUM(CASE kind WHEN ? THEN amount_fen WHEN ? THEN amount_fen"
                        + " WHEN ? THEN -amount_fen ELSE 0 END), 0), MIN(time_ms) FROM journal WHERE seq>?")) {
            ps.setInt(1, com.onecard.pos.sync.proto.RowKind.SALE_VALUE);
            ps.setInt(2, com.onecard.pos.sync.proto.RowKind.PAYCODE_SALE_VALUE);
            ps.setInt(3, com.onecard.pos.sync.proto.RowKind.REVERSAL_VALUE);
            ps.setLong(4, ackedSeq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long count = rs.getLong(1);
                long sum = rs.getLong(2);
                long oldest = rs.getLong(3);
                return new Unsent(count, sum, count == 0 ? 0 : Math.max(0, nowMs - oldest));
            }
        } catch (SQLException e) {
            throw StoreException.wrap("reading the backlog after seq " + ackedSeq + " in " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing a read-only connection loses nothing
        }
    }
}
