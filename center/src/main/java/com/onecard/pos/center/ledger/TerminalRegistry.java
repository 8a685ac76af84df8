package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.sync.journal.JournalMac;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The terminals a center serves: their journal MAC secret, whether revoked, and their watermark. */
public final class TerminalRegistry {
    /** Known terminal state: absent, revoked or allowed. */
    public enum State { UNKNOWN, REVOKED, ACTIVE }

    /**
     * One terminal as the card office sees it.
     *
     * @param quarantinedSeq the seq at which its journal diverged, or 0 when not quarantined
     * @param campus         the campus whose accounts it serves, or null for every campus
     * @param clock          its clock as last measured, or null when it never connected
     */
    public record Info(String id, boolean revoked, int epoch, long appliedSeq, long quarantinedSeq,
                       String quarantineReason, String campus, TerminalClock clock, byte[] appliedMac) {
        public boolean quarantined() {
            return quarantinedSeq != 0;
        }
    }

    /**
     * A terminal's clock as the center measured it.
     *
     * @param offsetMs the center's time minus the terminal's, ms (positive: the terminal is behind)
     * @param seenMs   when it was measured, the center's epoch ms
     */
    public record TerminalClock(long offsetMs, long seenMs) {
        /** The terminal's time when the center's is {@code centerMs}. */
        public long terminalTime(long centerMs) {
            return centerMs - offsetMs;
        }
    }

    private final UnitOfWork uow;

    public TerminalRegistry(UnitOfWork uow) {
        this.uow = uow;
    }

    /** Adds a terminal, or renews its secret and lifts a revocation; its watermark is kept. */
    public void register(String id, byte[] secret) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("terminal id is empty");
        }
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("secret of terminal " + id + " must be at least 16 bytes");
        }
        uow.run("registering terminal " + id, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO terminals(id, secret, revoked, applied_seq, last_mac) VALUES (?, ?, false, 0, ?)
                    ON CONFLICT(id) DO UPDATE SET secret = excluded.secret, revoked = false""")) {
                p.setString(1, id);
                p.setBytes(2, secret);
                p.setBytes(3, JournalMac.genesis());
                p.executeUpdate();
            }
            return null;
        });
    }

    public void revoke(String id) {
        uow.run("revoking terminal " + id, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("UPDATE terminals SET revoked = true WHERE id = ?")) {
                p.setString(1, id);
                if (p.executeUpdate() != 1) {
                    throw new IllegalArgumentException("no terminal " + id);
                }
            }
            return null;
        });
    }

    /**
     * Re-seats a terminal whose journal diverged (or was replaced): a new epoch starts at seq 0
     * with the genesis MAC and the quarantine is lifted. The terminal then uploads its journal
     * from seq 1; rows an earlier epoch already applied (same seq, same MAC) are stored but move
     * nothing again, every other row is applied: nothing lost, nothing doubled. Returns the new
     * epoch. Connected sessions of the terminal are closed (on every instance) so it is welcomed
     * afresh.
     */
    public int reseat(String id) {
        return uow.run("re-seating terminal " + id, tx -> {
            int epoch;
            try (PreparedStatement p = tx.c().prepareStatement("""
                    UPDATE terminals SET epoch = epoch + 1, applied_seq = 0, last_mac = ?, quarantined_seq = NULL,
                      quarantine_reason = NULL, quarantined_ms = NULL WHERE id = ? RETURNING epoch""")) {
                p.setBytes(1, JournalMac.genesis());
                p.setString(2, id);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        throw new IllegalArgumentException("no terminal " + id);
                    }
                    epoch = r.getInt(1);
                }
            }
            try (PreparedStatement p = tx.c().prepareStatement("SELECT pg_notify(?, ?)")) {
                p.setString(1, Streams.CHANNEL);
                p.setString(2, "close " + id);
                p.execute();
            }
            return epoch;
        });
    }

    /** The campus whose accounts this terminal serves (null = every campus): only those accounts are pushed to it. */
    public void setCampus(String id, String campus) {
        uow.run("setting the campus of terminal " + id, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("UPDATE terminals SET campus = ? WHERE id = ?")) {
                p.setString(1, campus);
                p.setString(2, id);
                if (p.executeUpdate() != 1) {
                    throw new IllegalArgumentException("no terminal " + id);
                }
            }
            return null;
        });
    }

    /** The terminal, or null when unknown. */
    public Info info(String id) {
        return uow.read("reading terminal " + id, tx -> {
            List<Info> l = infos(tx, id);
            return l.isEmpty() ? null : l.get(0);
        });
    }

    /**
     * Records a terminal's clock offset measured now ({@code seenMs}, center time), unless the
     * terminal's row is locked by an upload being written (its group holds the row until its
     * commit): then nothing is recorded and this returns false at once, so the session's lane never
     * waits behind the ingest writer; the caller records it at a later heartbeat.
     */
    public boolean recordClock(String id, long offsetMs, long seenMs) {
        return uow.run("recording the clock of terminal " + id, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("""
                    UPDATE terminals SET clock_offset_ms = ?, clock_seen_ms = ?
                    WHERE id = (SELECT id FROM terminals WHERE id = ? FOR NO KEY UPDATE SKIP LOCKED)""")) {
                p.setLong(1, offsetMs);
                p.setLong(2, seenMs);
                p.setString(3, id);
                return p.executeUpdate() == 1;
            }
        });
    }

    /** A terminal's clock as last measured, or null when it never connected. */
    static TerminalClock clock(Tx tx, String id) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement(
                "SELECT clock_offset_ms, clock_seen_ms FROM terminals WHERE id = ? AND clock_seen_ms IS NOT NULL")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? new TerminalClock(r.getLong(1), r.getLong(2)) : null;
            }
        }
    }

    /** Every terminal, by id. */
    public List<Info> list() {
        return uow.read("listing terminals", tx -> infos(tx, null));
    }

    private static List<Info> infos(Tx tx, String id) throws SQLException {
        List<Info> out = new ArrayList<>();
        try (PreparedStatement p = tx.c().prepareStatement("""
                SELECT id, revoked, epoch, applied_seq, COALESCE(quarantined_seq, 0), quarantine_reason, campus,
                       clock_offset_ms, clock_seen_ms, last_mac
                FROM terminals WHERE ? IS NULL OR id = ? ORDER BY id""")) {
            p.setString(1, id);
            p.setString(2, id);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    long seen = r.getLong(9);
                    TerminalClock clock = r.wasNull() ? null : new TerminalClock(r.getLong(8), seen);
                    out.add(new Info(r.getString(1), r.getBoolean(2), r.getInt(3), r.getLong(4), r.getLong(5),
                            r.getString(6), r.getString(7), clock, r.getBytes(10)));
                }
            }
        }
        return out;
    }

    public State state(String id) {
        return uow.read("reading terminal " + id, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("SELECT revoked FROM terminals WHERE id = ?")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        return State.UNKNOWN;
                    }
                    return r.getBoolean(1) ? State.REVOKED : State.ACTIVE;
                }
            }
        });
    }

    /** The terminal's watermark: highest contiguous journal seq durably applied (0 when unknown). */
    public long appliedSeq(String id) {
        return uow.read("reading watermark of " + id, tx -> watermark(tx, id));
    }

    static long watermark(Tx tx, String id) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement("SELECT applied_seq FROM terminals WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    static String campus(Tx tx, String id) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement("SELECT campus FROM terminals WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    /** The MAC secret of a terminal that is not revoked, or null. */
    static byte[] activeSecret(Tx tx, String id) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement("SELECT secret, revoked FROM terminals WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() && !r.getBoolean(2) ? r.getBytes(1) : null;
            }
        }
    }
}
