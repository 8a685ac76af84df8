package com.onecard.pos.center.topup;

import com.onecard.pos.center.db.UnitOfWork;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The daily reconciliation: a provider's statement of one day (China Standard Time) against
 * the orders the ledger credited with a provider time on that day, and against the ledger's
 * TOP_UP movements of each of those orders (column {@code movements.out_trade_no}). Every
 * difference is listed for the card office: collected but the order not paid (NOT_IN_LEDGER),
 * paid but not collected (NOT_IN_STATEMENT), order amount differs from the statement
 * (AMOUNT_DIFFERS), a paid order with no TOP_UP movement (NOT_CREDITED), an order with more
 * than one (DOUBLE_CREDIT), or with one of another amount (CREDIT_AMOUNT_DIFFERS). One order can
 * have a difference of each of the two sorts. A run is stored with its lines.
 */
public final class Reconciliation {
    public enum Kind { NOT_IN_LEDGER, NOT_IN_STATEMENT, AMOUNT_DIFFERS, NOT_CREDITED, DOUBLE_CREDIT,
        CREDIT_AMOUNT_DIFFERS }

    /** The TOP_UP movements of one order: how many, and their sum in fen. */
    record Credits(int count, long fen) {
    }

    public record Difference(String outTradeNo, Kind kind, Long statementFen, Long ledgerFen, String detail) {
    }

    /** One run's totals and differences. */
    public record Run(long runId, String channel, LocalDate day, int statementLines, long statementFen,
                      int ledgerOrders, long ledgerFen, List<Difference> differences) {
        public boolean clean() {
            return differences.isEmpty();
        }
    }

    static final ZoneId CST = ZoneId.of("Asia/Shanghai");

    private final UnitOfWork uow;
    private final TopUpOrders orders;
    private final Clock clock;

    public Reconciliation(UnitOfWork uow, TopUpOrders orders, Clock clock) {
        this.uow = uow;
        this.orders = orders;
        this.clock = clock;
    }

    /** Reconciles {@code day} of {@code provider}; ProviderException when its statement cannot be had. */
    public Run run(PaymentProvider provider, LocalDate day) throws ProviderException {
        List<PaymentProvider.StatementLine> statement = provider.statement(day);
        long from = day.atStartOfDay(CST).toInstant().toEpochMilli();
        long to = day.plusDays(1).atStartOfDay(CST).toInstant().toEpochMilli();
        List<TopUpOrders.Order> ledger = orders.paidBetween(provider.channel(), from, to);
        Map<String, Long> byStatement = new HashMap<>();
        long statementFen = 0;
        for (PaymentProvider.StatementLine l : statement) {
            byStatement.merge(l.outTradeNo(), l.amountFen(), Long::sum);
            statementFen += l.amountFen();
        }
        Map<String, Long> byLedger = new HashMap<>();
        long ledgerFen = 0;
        for (TopUpOrders.Order o : ledger) {
            byLedger.put(o.outTradeNo(), o.amountFen());
            ledgerFen += o.amountFen();
        }
        List<Difference> diffs = new ArrayList<>();
        TreeSet<String> all = new TreeSet<>(byStatement.keySet());
        all.addAll(byLedger.keySet());
        Map<String, Credits> credits = credits(all);
        for (String no : all) {
            Long s = byStatement.get(no);
            Long l = byLedger.get(no);
            if (l == null) {
                String state = orders.find(no).map(o -> "the order is " + o.state()).orElse("no such order here");
                diffs.add(new Difference(no, Kind.NOT_IN_LEDGER, s, null, "collected by " + provider.channel()
                        + " but not credited on " + day + "; " + state));
            } else if (s == null) {
                diffs.add(new Difference(no, Kind.NOT_IN_STATEMENT, null, l, "credited but not in the statement of "
                        + day));
            } else if (!s.equals(l)) {
                diffs.add(new Difference(no, Kind.AMOUNT_DIFFERS, s, l, "statement " + s + " fen, ledger " + l + " fen"));
            }
            Credits c = credits.getOrDefault(no, new Credits(0, 0));
            long expected = s != null ? s : l;
            String against = s != null ? "the statement's " + s + " fen" : "the order's " + l + " fen";
            if (c.count() == 0 && l != null) {
                diffs.add(new Difference(no, Kind.NOT_CREDITED, s, 0L, "the order is PAID but no TOP_UP movement"
                        + " credits it; " + against + " are owed to the account"));
            } else if (c.count() > 1) {
                diffs.add(new Difference(no, Kind.DOUBLE_CREDIT, s, c.fen(), "credited " + c.count() + " times, "
                        + c.fen() + " fen in all, against " + against));
            } else if (c.count() == 1 && c.fen() != expected) {
                diffs.add(new Difference(no, Kind.CREDIT_AMOUNT_DIFFERS, s, c.fen(), "credited " + c.fen()
                        + " fen against " + against));
            }
        }
        long st = statementFen;
        long lf = ledgerFen;
        long runId = uow.run("storing the reconciliation of " + provider.channel() + " " + day, tx -> {
            long id;
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO reconciliation_runs(channel, day, run_ms, statement_lines, statement_fen, ledger_orders,
                      ledger_fen, differences) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING run_id""")) {
                p.setString(1, provider.channel());
                p.setObject(2, day);
                p.setLong(3, clock.millis());
                p.setInt(4, statement.size());
                p.setLong(5, st);
                p.setInt(6, ledger.size());
                p.setLong(7, lf);
                p.setInt(8, diffs.size());
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    id = r.getLong(1);
                }
            }
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO reconciliation_differences(run_id, out_trade_no, kind, statement_fen, ledger_fen, detail)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                for (Difference d : diffs) {
                    p.setLong(1, id);
                    p.setString(2, d.outTradeNo());
                    p.setString(3, d.kind().name());
                    p.setObject(4, d.statementFen());
                    p.setObject(5, d.ledgerFen());
                    p.setString(6, d.detail());
                    p.addBatch();
                }
                p.executeBatch();
            }
            return id;
        });
        return new Run(runId, provider.channel(), day, statement.size(), statementFen, ledger.size(), ledgerFen, diffs);
    }

    /** The TOP_UP movements of each of {@code outTradeNos} that has any. */
    private Map<String, Credits> credits(java.util.Collection<String> outTradeNos) {
        return uow.read("reading the ledger's top-up credits", tx -> {
            Map<String, Credits> out = new HashMap<>();
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT out_trade_no, count(*), sum(cash_fen + subsidy_fen) FROM movements
                    WHERE out_trade_no = ANY(?) AND kind = 'TOP_UP' GROUP BY out_trade_no""")) {
                p.setArray(1, tx.c().createArrayOf("text", outTradeNos.toArray()));
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), new Credits(r.getInt(2), r.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    /** The newest runs, newest first, with their differences. */
    public List<Run> newest(int limit) {
        return uow.read("reading reconciliations", tx -> {
            List<Run> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT run_id, channel, day, statement_lines, statement_fen, ledger_orders, ledger_fen
                    FROM reconciliation_runs ORDER BY run_id DESC LIMIT ?""")) {
                p.setInt(1, limit);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new Run(r.getLong(1), r.getString(2), r.getObject(3, LocalDate.class), r.getInt(4),
                                r.getLong(5), r.getInt(6), r.getLong(7), new ArrayList<>()));
                    }
                }
            }
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT out_trade_no, kind, statement_fen, ledger_fen, detail FROM reconciliation_differences
                    WHERE run_id = ? ORDER BY out_trade_no""")) {
                for (Run run : out) {
                    p.setLong(1, run.runId());
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            run.differences().add(new Difference(r.getString(1), Kind.valueOf(r.getString(2)),
                                    (Long) r.getObject(3), (Long) r.getObject(4), r.getString(5)));
                        }
                    }
                }
            }
            return out;
        });
    }

    /** Today in China Standard Time by the center's clock. */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), CST);
    }
}
