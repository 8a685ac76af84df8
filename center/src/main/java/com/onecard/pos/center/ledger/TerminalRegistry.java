package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.sync.journal.JournalMac;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The terminals a center serves: their journal MAC secret, whether revoked, and their watermark. */
public final class TerminalRegistry {
    /** Known terminal state: absent, revoked or allowed. */
    public enum State { UNKNOWN, REVOKED, ACTIVE }

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
