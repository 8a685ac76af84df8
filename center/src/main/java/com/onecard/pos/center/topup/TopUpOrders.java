package com.onecard.pos.center.topup;

import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.center.ledger.Accounts;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Top-up orders: CREATED by the app, PAID once (the account's cash purse credited in the same
 * transaction, under the order's row lock, so any number of notifications and queries, in any
 * order, on any instance, credit it once), or CLOSED unpaid. A notification for a CLOSED order,
 * or one whose amount differs from the order, credits nothing and is refused.
 */
public final class TopUpOrders {
    public enum State { CREATED, PAID, CLOSED }

    /** One order; {@code paidMs} is the center's time of crediting, {@code providerPaidMs} the provider's. */
    public record Order(String outTradeNo, long accountId, long userId, String channel, long amountFen, State state,
                        long createdMs, long expiresMs, Long paidMs, Long providerPaidMs, Long closedMs,
                        String providerTradeNo, String creditedBy) {
    }

    /** What became of a payment report: credited now, or already credited before (a duplicate). */
    public enum Settled { CREDITED, DUPLICATE }

    private static final ZoneId CST = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final String COLUMNS = "out_trade_no, account_id, user_id, channel, amount_fen, state, created_ms,"
            + " expires_ms, paid_ms, provider_paid_ms, closed_ms, provider_trade_no, credited_by";

    private final UnitOfWork uow;
    private final Accounts accounts;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TopUpOrders(UnitOfWork uow, Accounts accounts, Clock clock) {
        this.uow = uow;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** A new CREATED order with a fresh out_trade_no (32 characters at most, letters and digits). */
    public Order create(long userId, long accountId, String channel, long amountFen, Duration timeout) {
        long now = clock.millis();
        String no = "T" + LocalDateTime.ofInstant(Instant.ofEpochMilli(now), CST).format(STAMP)
                + HexFormat.of().withUpperCase().formatHex(random.generateSeed(8));
        Order o = new Order(no, accountId, userId, channel, amountFen, State.CREATED, now, now + timeout.toMillis(),
                null, null, null, null, null);
        uow.run("creating top-up order " + no, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO topup_orders(out_trade_no, account_id, user_id, channel, amount_fen, state, created_ms,
                      expires_ms) VALUES (?, ?, ?, ?, ?, 'CREATED', ?, ?)""")) {
                p.setString(1, no);
                p.setLong(2, accountId);
                p.setLong(3, userId);
                p.setString(4, channel);
                p.setLong(5, amountFen);
                p.setLong(6, now);
                p.setLong(7, o.expiresMs());
                p.executeUpdate();
            }
            return null;
        });
        return o;
    }

    public Optional<Order> find(String outTradeNo) {
        return uow.read("reading order " + outTradeNo, tx -> find(tx, outTradeNo, false));
    }

    /**
     * The provider says the order was paid: credits it once. Refusals: NOTIFY_UNKNOWN_ORDER (no
     * such order of this channel), NOTIFY_AMOUNT_MISMATCH, NOTIFY_ORDER_CLOSED. A second report
     * of a paid order is DUPLICATE and credits nothing.
     *
     * @param via "notification" or "query"
     */
    public Settled settle(String channel, String outTradeNo, String providerTradeNo, long amountFen, Instant paidAt,
                          String via) {
        Object r = uow.run("settling order " + outTradeNo, tx -> {
            Optional<Order> found = find(tx, outTradeNo, true);
            if (found.isEmpty() || !found.get().channel().equals(channel)) {
                return AppError.NOTIFY_UNKNOWN_ORDER.with("no " + channel + " order " + outTradeNo);
            }
            Order o = found.get();
            if (o.amountFen() != amountFen) {
                return AppError.NOTIFY_AMOUNT_MISMATCH.with("order " + outTradeNo + " is for " + o.amountFen()
                        + " fen, the provider reports " + amountFen + " fen");
            }
            if (o.state() == State.PAID) {
                return Settled.DUPLICATE;
            }
            if (o.state() == State.CLOSED) {
                return AppError.NOTIFY_ORDER_CLOSED.with("order " + outTradeNo + " was closed unpaid at "
                        + Instant.ofEpochMilli(o.closedMs()) + "; the card office settles it from the reconciliation");
            }
            long now = clock.millis();
            try (PreparedStatement p = tx.c().prepareStatement("""
                    UPDATE topup_orders SET state = 'PAID', paid_ms = ?, provider_paid_ms = ?, provider_trade_no = ?,
                      credited_by = ? WHERE out_trade_no = ?""")) {
                p.setLong(1, now);
                p.setLong(2, paidAt.toEpochMilli());
                p.setString(3, providerTradeNo);
                p.setString(4, via);
                p.setString(5, outTradeNo);
                p.executeUpdate();
            }
            accounts.topUp(tx, o.accountId(), amountFen, channel + ":" + outTradeNo);
            return Settled.CREDITED;
        });
        if (r instanceof com.onecard.pos.center.app.error.Refusal refusal) {
            throw refusal;
        }
        return (Settled) r;
    }

    /** Closes a CREATED order (the provider closed it too); false when it was no longer CREATED. */
    public boolean close(String outTradeNo) {
        return uow.run("closing order " + outTradeNo, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement(
                    "UPDATE topup_orders SET state = 'CLOSED', closed_ms = ? WHERE out_trade_no = ? AND state = 'CREATED'")) {
                p.setLong(1, clock.millis());
                p.setString(2, outTradeNo);
                return p.executeUpdate() == 1;
            }
        });
    }

    /**
     * Takes up to {@code limit} CREATED orders due for a look at the provider: expired ones, and
     * those older than {@code queryAfter} not queried within {@code queryEvery}. Each is marked
     * queried now, so another instance's sweep takes others ({@code SKIP LOCKED}).
     */
    public List<Order> takeDue(Duration queryAfter, Duration queryEvery, int limit) {
        return uow.run("taking orders due for a query", tx -> {
            long now = clock.millis();
            List<Order> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement("SELECT " + COLUMNS + " FROM topup_orders"
                    + " WHERE state = 'CREATED' AND (expires_ms <= ? OR created_ms <= ?) AND last_query_ms <= ?"
                    + " ORDER BY created_ms LIMIT ? FOR UPDATE SKIP LOCKED")) {
                p.setLong(1, now);
                p.setLong(2, now - queryAfter.toMillis());
                p.setLong(3, now - queryEvery.toMillis());
                p.setInt(4, limit);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(read(r));
                    }
                }
            }
            try (PreparedStatement p = tx.c().prepareStatement(
                    "UPDATE topup_orders SET last_query_ms = ? WHERE out_trade_no = ?")) {
                for (Order o : out) {
                    p.setLong(1, now);
                    p.setString(2, o.outTradeNo());
                    p.addBatch();
                }
                p.executeBatch();
            }
            return out;
        });
    }

    /** Marks an order queried now unless it was queried within {@code every}; true when the caller may query. */
    public boolean claimQuery(String outTradeNo, Duration every) {
        return uow.run("claiming a query of " + outTradeNo, tx -> {
            long now = clock.millis();
            try (PreparedStatement p = tx.c().prepareStatement("""
                    UPDATE topup_orders SET last_query_ms = ? WHERE out_trade_no = ? AND state = 'CREATED'
                    AND last_query_ms <= ?""")) {
                p.setLong(1, now);
                p.setString(2, outTradeNo);
                p.setLong(3, now - every.toMillis());
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Orders of {@code channel} the provider collected in [fromMs, toMs) as the ledger holds them: PAID ones. */
    public List<Order> paidBetween(String channel, long fromMs, long toMs) {
        return list("SELECT " + COLUMNS + " FROM topup_orders WHERE channel = ? AND state = 'PAID'"
                + " AND provider_paid_ms >= ? AND provider_paid_ms < ? ORDER BY out_trade_no", channel, fromMs, toMs);
    }

    /** Every order of an account, newest first (the app's top-up history). */
    public List<Order> ofAccount(long accountId, int limit) {
        return list("SELECT " + COLUMNS + " FROM topup_orders WHERE account_id = ? ORDER BY created_ms DESC LIMIT ?",
                accountId, limit);
    }

    /** Every order (for the simulator's verdict and the card office), oldest first. */
    public List<Order> all() {
        return list("SELECT " + COLUMNS + " FROM topup_orders ORDER BY created_ms");
    }

    /** Records a notification whatever became of it: CREDITED, DUPLICATE or the refusal's code. */
    public void logNotification(String channel, String outTradeNo, String providerId, String outcome, String detail) {
        uow.run("logging a notification", tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO provider_notifications(channel, out_trade_no, provider_id, received_ms, outcome, detail)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                p.setString(1, channel);
                p.setString(2, outTradeNo);
                p.setString(3, providerId);
                p.setLong(4, clock.millis());
                p.setString(5, outcome);
                p.setString(6, detail);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** Outcomes of logged notifications with their counts (for the card office and the verdict). */
    public java.util.Map<String, Integer> notificationOutcomes() {
        return uow.read("counting notifications", tx -> {
            java.util.Map<String, Integer> out = new java.util.TreeMap<>();
            try (PreparedStatement p = tx.c().prepareStatement(
                    "SELECT outcome, count(*) FROM provider_notifications GROUP BY outcome");
                 ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getInt(2));
                }
            }
            return out;
        });
    }

    private List<Order> list(String sql, Object... args) {
        return uow.read("reading orders", tx -> {
            List<Order> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    p.setObject(i + 1, args[i]);
                }
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(read(r));
                    }
                }
            }
            return out;
        });
    }

    private static Optional<Order> find(Tx tx, String outTradeNo, boolean forUpdate) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement("SELECT " + COLUMNS
                + " FROM topup_orders WHERE out_trade_no = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            p.setString(1, outTradeNo);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    private static Order read(ResultSet r) throws SQLException {
        return new Order(r.getString(1), r.getLong(2), r.getLong(3), r.getString(4), r.getLong(5),
                State.valueOf(r.getString(6)), r.getLong(7), r.getLong(8), nullable(r, 9), nullable(r, 10),
                nullable(r, 11), r.getString(12), r.getString(13));
    }

    private static Long nullable(ResultSet r, int col) throws SQLException {
        long v = r.getLong(col);
        return r.wasNull() ? null : v;
    }
}
