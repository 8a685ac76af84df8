package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds for online authorization, keyed by sale id. An approval places one on the amount; the
 * sale's uploaded row consumes it; the terminal releases it when the sale does not complete
 * online (answer too late, declined at the terminal); otherwise it expires. While HELD and
 * unexpired it lowers what a further authorization of the account may spend.
 *
 * <p>A hold belongs to the terminal that placed it: only that terminal's repeated request
 * replaces it, only its uploaded sale consumes it, only its release releases it. A terminal may
 * release only its own sale ids ({@code <terminal id>-<n>}, as SaleFlow numbers them), so it
 * cannot leave a tombstone that would decline another terminal's next sale.
 */
public final class Holds {
    private static final Logger log = LoggerFactory.getLogger(Holds.class);
    private final UnitOfWork uow;
    private final Clock clock;

    public Holds(UnitOfWork uow, Clock clock) {
        this.uow = uow;
        this.clock = clock;
    }

    /** The terminal will not complete {@code saleId} online: its hold, if any, stops counting. */
    public void release(String terminalId, String saleId) {
        if (!ownSaleId(terminalId, saleId)) {
            log.warn("terminal {} asked to release the hold of sale {}, which is not its own sale id: ignored",
                    terminalId, saleId);
            return;
        }
        uow.run("releasing the hold of sale " + saleId, tx -> {
            // A release that overtakes its authorization leaves a tombstone, so no hold is placed after it.
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO holds(sale_id, terminal_id, account_id, amount_fen, state, created_ms, expires_ms)
                    VALUES (?, ?, 0, 0, 'RELEASED', ?, ?)
                    ON CONFLICT (sale_id) DO UPDATE SET state = 'RELEASED'
                    WHERE holds.state = 'HELD' AND holds.terminal_id = excluded.terminal_id""")) {
                long now = clock.millis();
                p.setString(1, saleId);
                p.setString(2, terminalId);
                p.setLong(3, now);
                p.setLong(4, now);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** Whether {@code saleId} is one {@code terminalId} numbers: {@code <terminal id>-<something>}. */
    static boolean ownSaleId(String terminalId, String saleId) {
        return saleId != null && saleId.length() > terminalId.length() + 1 && saleId.startsWith(terminalId + "-");
    }

    /** Holds deleted per statement, so pruning a long backlog never holds many row locks at once. */
    static final int PRUNE_CHUNK = 5_000;

    /**
     * Deletes the holds whose expiry is more than {@code retention} ago: consumed, released (and
     * their tombstones) and expired ones, none of which counts any more. A hold still HELD and
     * unexpired is never deleted, whatever the retention. Returns how many were deleted.
     */
    public long prune(Duration retention) {
        long before = clock.millis() - retention.toMillis();
        long deleted = 0;
        while (true) {
            int n = uow.run("pruning holds that expired before " + before, tx -> {
                try (PreparedStatement p = tx.c().prepareStatement("""
                        DELETE FROM holds WHERE sale_id IN (
                          SELECT sale_id FROM holds WHERE expires_ms < ? LIMIT ? FOR UPDATE SKIP LOCKED)""")) {
                    p.setLong(1, before);
                    p.setInt(2, PRUNE_CHUNK);
                    return p.executeUpdate();
                }
            });
            deleted += n;
            if (n < PRUNE_CHUNK) {
                return deleted;
            }
        }
    }

    /** State of the hold of {@code saleId} (HELD, CONSUMED, RELEASED), or null when there is none. */
    public String state(String saleId) {
        return uow.read("reading the hold of sale " + saleId, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("SELECT state FROM holds WHERE sale_id = ?")) {
                p.setString(1, saleId);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? r.getString(1) : null;
                }
            }
        });
    }

    /**
     * The account's holds as an authorization sees them, in one statement.
     *
     * @param othersFen fen held on the account now (HELD, unexpired) by sales other than this one
     * @param ownState  the state of this sale's own hold (HELD, CONSUMED, RELEASED), or null
     * @param ownTerminal the terminal that placed the hold of this sale id, or null when none
     */
    record Standing(long othersFen, String ownState, String ownTerminal) {
    }

    static Standing standing(Tx tx, long accountId, String saleId, long nowMs) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement("""
                SELECT COALESCE((SELECT SUM(amount_fen) FROM holds
                                 WHERE account_id = ? AND state = 'HELD' AND expires_ms > ? AND sale_id <> ?), 0),
                       (SELECT state FROM holds WHERE sale_id = ?),
                       (SELECT terminal_id FROM holds WHERE sale_id = ?)""")) {
            p.setLong(1, accountId);
            p.setLong(2, nowMs);
            p.setString(3, saleId);
            p.setString(4, saleId);
            p.setString(5, saleId);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return new Standing(r.getLong(1), r.getString(2), r.getString(3));
            }
        }
    }

    /** Places (or, for a repeated request of a held sale by the same terminal and account, replaces) the sale's hold. */
    static void place(Tx tx, String saleId, String terminalId, long accountId, long fen, long nowMs, long expiresMs)
            throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement("""
                INSERT INTO holds(sale_id, terminal_id, account_id, amount_fen, state, created_ms, expires_ms)
                VALUES (?, ?, ?, ?, 'HELD', ?, ?)
                ON CONFLICT (sale_id) DO UPDATE SET amount_fen = excluded.amount_fen, expires_ms = excluded.expires_ms
                WHERE holds.state = 'HELD' AND holds.terminal_id = excluded.terminal_id
                  AND holds.account_id = excluded.account_id""")) {
            p.setString(1, saleId);
            p.setString(2, terminalId);
            p.setLong(3, accountId);
            p.setLong(4, fen);
            p.setLong(5, nowMs);
            p.setLong(6, expiresMs);
            p.executeUpdate();
        }
    }

    /**
     * The uploaded sales' rows now move the money: their holds, placed by this same terminal, are
     * consumed, in the same transaction.
     */
    static void consume(Tx tx, String terminalId, Collection<String> saleIds) throws SQLException {
        if (saleIds.isEmpty()) {
            return;
        }
        try (PreparedStatement p = tx.c().prepareStatement(
                "UPDATE holds SET state = 'CONSUMED' WHERE sale_id = ANY(?) AND terminal_id = ? AND state = 'HELD'")) {
            Array ids = tx.c().createArrayOf("text", saleIds.toArray());
            p.setArray(1, ids);
            p.setString(2, terminalId);
            p.executeUpdate();
        }
    }
}
