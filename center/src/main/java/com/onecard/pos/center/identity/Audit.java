package com.onecard.pos.center.identity;

import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The card office's audit trail: who did what to whom through the admin API (number changes,
 * unlocks, revoked sessions, photo reviews, notices), and security events of the app's
 * service. Append-only; never holds a password or a code.
 */
public final class Audit {
    /** One entry; {@code actor} is a login name or {@code system}. */
    public record Entry(long id, long timeMs, String actor, String action, String target, String detail) {
    }

    private final UnitOfWork uow;
    private final Clock clock;

    public Audit(UnitOfWork uow, Clock clock) {
        this.uow = uow;
        this.clock = clock;
    }

    public void record(String actor, String action, String target, String detail) {
        uow.run("auditing " + action, tx -> {
            record(tx, actor, action, target, detail);
            return null;
        });
    }

    public void record(Tx tx, String actor, String action, String target, String detail) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement(
                "INSERT INTO audit_log(time_ms, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)")) {
            p.setLong(1, clock.millis());
            p.setString(2, actor);
            p.setString(3, action);
            p.setString(4, target);
            p.setString(5, detail);
            p.executeUpdate();
        }
    }

    /** The newest {@code limit} entries, newest first. */
    public List<Entry> newest(int limit) {
        return uow.read("reading the audit log", tx -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement(
                    "SELECT audit_id, time_ms, actor, action, target, detail FROM audit_log ORDER BY audit_id DESC LIMIT ?")) {
                p.setInt(1, limit);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new Entry(r.getLong(1), r.getLong(2), r.getString(3), r.getString(4), r.getString(5),
                                r.getString(6)));
                    }
                }
            }
            return out;
        });
    }
}
