package com.onecard.pos.terminal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who changed what on this terminal: every state-changing command (sale, PIN entry, cancel,
 * reverse, configuration change) with the identity of its sender, kept beside the journal in the
 * same file and shown by {@code posctl journal --audit}. Part of {@link Store}: same writer, same
 * terminal thread. Keeps the newest {@link #KEEP} entries.
 */
public final class AuditLog {
    /** Entries kept; older ones are dropped when the store opens. */
    public static final int KEEP = 100_000;

    /**
     * One entry.
     *
     * @param source  {@code control} (the control socket), {@code keypad} or {@code center}
     * @param uid     sender's uid from the kernel, -1 when not known
     * @param pid     sender's process id, 0 when not known
     * @param detail  what was asked, never a secret (a PIN is recorded as entered, not its digits)
     * @param outcome {@code ok ...} or {@code refused: reason}
     */
    public record Entry(long id, long timeMs, String source, long uid, String user, long pid, String program,
                        String command, String detail, String outcome) {
    }

    private final Db db;

    AuditLog(Db db) {
        this.db = db;
    }

    public void record(long timeMs, String source, long uid, String user, long pid, String program, String command,
                       String detail, String outcome) {
        db.tx("recording audit entry " + command, () -> {
            try (PreparedStatement ps = db.prepare("INSERT INTO audit(time_ms,source,uid,user,pid,program,command,detail,outcome)"
                    + " VALUES(?,?,?,?,?,?,?,?,?)")) {
                ps.setLong(1, timeMs);
                ps.setString(2, source);
                ps.setLong(3, uid);
                ps.setString(4, user);
                ps.setLong(5, pid);
                ps.setString(6, program);
                ps.setString(7, command);
                ps.setString(8, detail);
                ps.setString(9, outcome);
                ps.executeUpdate();
            }
        });
    }

    /** The newest {@code n} entries, oldest first. */
    public List<Entry> tail(int n) {
        return query("SELECT * FROM (SELECT * FROM audit ORDER BY id DESC LIMIT ?) ORDER BY id", n);
    }

    /** Entries in a time window, oldest first. */
    public List<Entry> between(long fromMs, long toMs, int limit) {
        return query("SELECT * FROM audit WHERE time_ms>=? AND time_ms<? ORDER BY id LIMIT ?", fromMs, toMs, limit);
    }

    void prune() {
        db.tx("pruning the audit log", () -> {
            try (PreparedStatement ps = db.prepare("DELETE FROM audit WHERE id <= (SELECT MAX(id) FROM audit) - ?")) {
                ps.setInt(1, KEEP);
                ps.executeUpdate();
            }
        });
    }

    private List<Entry> query(String sql, Object... params) {
        try (PreparedStatement ps = db.prepare(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong("id"), rs.getLong("time_ms"), rs.getString("source"), rs.getLong("uid"),
                            rs.getString("user"), rs.getLong("pid"), rs.getString("program"), rs.getString("command"),
                            rs.getString("detail"), rs.getString("outcome")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.wrap("reading the audit log", e);
        }
    }
}
