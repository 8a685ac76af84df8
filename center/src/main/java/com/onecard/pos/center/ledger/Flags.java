package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What the card office must look at: refused reversals, rows of unknown kinds, diverged journals. */
public final class Flags {
    /** One flagged row. {@code code} is a RowRefusal name or JOURNAL_DIVERGED. */
    public record Flag(String terminalId, int epoch, long seq, int kind, String code, String detail, long timeMs) {
    }

    private final UnitOfWork uow;

    public Flags(UnitOfWork uow) {
        this.uow = uow;
    }

    /** Flags of one terminal (or all when null), newest first, at most {@code limit}. */
    public List<Flag> list(String terminalId, int limit) {
        return uow.read("reading flagged rows", tx -> {
            List<Flag> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT terminal_id, epoch, seq, kind, code, detail, time_ms FROM flagged_rows
                    WHERE ? IS NULL OR terminal_id = ? ORDER BY id DESC LIMIT ?""")) {
                p.setString(1, terminalId);
                p.setString(2, terminalId);
                p.setInt(3, limit);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new Flag(r.getString(1), r.getInt(2), r.getLong(3), r.getInt(4), r.getString(5),
                                r.getString(6), r.getLong(7)));
                    }
                }
            }
            return out;
        });
    }

    static void flag(Tx tx, String terminalId, int epoch, long seq, int kind, String code, String detail, long timeMs)
            throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement("""
                INSERT INTO flagged_rows(terminal_id, epoch, seq, kind, code, detail, time_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            p.setString(1, terminalId);
            p.setInt(2, epoch);
            p.setLong(3, seq);
            p.setInt(4, kind);
            p.setString(5, code);
            p.setString(6, detail);
            p.setLong(7, timeMs);
            p.executeUpdate();
        }
    }
}
