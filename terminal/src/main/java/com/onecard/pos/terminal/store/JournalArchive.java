package com.onecard.pos.terminal.store;

import com.onecard.pos.sync.proto.JournalRow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Monthly archive files of journal rows the center acknowledged long ago
 * ({@code archive/journal-YYYY-MM.db} beside the store, one SQLite file a month by the row's
 * time). Rows keep their sequence, previous MAC and MAC, so the chain still verifies across the
 * files and into the store, whose {@code archived_through} point is the last archived row.
 * Writing is idempotent (a row already archived is left alone), so a move cut short by a power
 * cut is simply done again.
 */
final class JournalArchive {
    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS journal(seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
            + " sale_id TEXT NOT NULL, time_ms INTEGER NOT NULL, card_uid BLOB NOT NULL, account_id INTEGER NOT NULL,"
            + " amount_fen INTEGER NOT NULL, subsidy_fen INTEGER NOT NULL, cash_fen INTEGER NOT NULL, mode INTEGER NOT NULL,"
            + " reverses_seq INTEGER NOT NULL, qr_token TEXT NOT NULL, meal_period TEXT NOT NULL, prev_mac BLOB NOT NULL,"
            + " mac BLOB NOT NULL)";

    private final Path dir;
    private final ZoneId zone;

    JournalArchive(Path storeFile, ZoneId zone) {
        this.dir = storeFile.toAbsolutePath().resolveSibling("archive");
        this.zone = zone;
    }

    Path dir() {
        return dir;
    }

    Path file(YearMonth m) {
        return dir.resolve("journal-" + m + ".db");
    }

    /** Writes the rows to their months' files, each file in one transaction with fsync. */
    void write(List<JournalRow> rows) {
        Map<YearMonth, List<JournalRow>> byMonth = new LinkedHashMap<>();
        for (JournalRow r : rows) {
            byMonth.computeIfAbsent(YearMonth.from(Instant.ofEpochMilli(r.getTimeMs()).atZone(zone)), k -> new ArrayList<>()).add(r);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.IO, "creating journal archive folder " + dir + ": " + e.getMessage(), e);
        }
        byMonth.forEach((month, monthRows) -> {
            Path f = file(month);
            try (Connection c = open(f)) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(JournalRows.INSERT.replace("INSERT INTO", "INSERT OR IGNORE INTO"))) {
                    for (JournalRow r : monthRows) {
                        JournalRows.bind(ps, r);
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                throw StoreException.wrap("archiving " + monthRows.size() + " journal rows from seq " + monthRows.get(0).getSeq()
                        + " to " + f, e);
            }
        });
    }

    /** Archived rows in a time window, oldest first. */
    List<JournalRow> rowsBetween(long fromMs, long toMs, int limit) {
        List<JournalRow> out = new ArrayList<>();
        for (Path f : files()) {
            if (!overlaps(f, fromMs, toMs)) {
                continue;
            }
            query(f, "WHERE time_ms>=? AND time_ms<? ORDER BY seq LIMIT ?", out, fromMs, toMs, limit);
        }
        out.sort(Comparator.comparingLong(JournalRow::getSeq));
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** Archived rows after a sequence, in order (a center restored from a backup asks for them again). */
    List<JournalRow> rowsAfter(long afterSeq, int max) {
        List<JournalRow> out = new ArrayList<>();
        for (Path f : files()) {
            query(f, "WHERE seq>? ORDER BY seq LIMIT ?", out, afterSeq, max);
        }
        out.sort(Comparator.comparingLong(JournalRow::getSeq));
        return out.size() > max ? out.subList(0, max) : out;
    }

    /** Every archived row, oldest first (to verify the chain across the files). */
    List<JournalRow> all() {
        return rowsAfter(0, Integer.MAX_VALUE);
    }

    JournalRow row(long seq) {
        List<JournalRow> out = new ArrayList<>();
        for (Path f : files()) {
            query(f, "WHERE seq=?", out, seq);
            if (!out.isEmpty()) {
                return out.get(0);
            }
        }
        return null;
    }

    private boolean overlaps(Path f, long fromMs, long toMs) {
        String name = f.getFileName().toString();
        YearMonth m = YearMonth.parse(name.substring("journal-".length(), name.length() - ".db".length()));
        long start = m.atDay(1).atStartOfDay(zone).toInstant().toEpochMilli();
        long end = m.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant().toEpochMilli();
        return start < toMs && fromMs < end;
    }

    List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("journal-\\d{4}-\\d{2}\\.db")).sorted().toList();
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.IO, "listing journal archive " + dir + ": " + e.getMessage(), e);
        }
    }

    private void query(Path f, String where, List<JournalRow> out, Object... params) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f.toAbsolutePath());
             PreparedStatement ps = c.prepareStatement(JournalRows.SELECT + " " + where)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(JournalRows.read(rs));
                }
            }
        } catch (SQLException e) {
            throw StoreException.wrap("reading journal archive " + f, e);
        }
    }

    private static Connection open(Path f) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + f.toAbsolutePath());
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA synchronous=FULL");
            st.execute(SCHEMA);
            st.execute("CREATE INDEX IF NOT EXISTS journal_time ON journal(time_ms)");
        }
        return c;
    }
}
