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

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing a read-only connection loses nothing
        }
    }
}
