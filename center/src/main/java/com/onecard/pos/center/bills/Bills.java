package com.onecard.pos.center.bills;

import com.onecard.pos.center.db.UnitOfWork;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A card holder's bills as the app shows them: every movement of money on the account (top-ups,
 * purchases by card and by QR code, reversals and refunds), newest first, paged, optionally
 * one calendar month (China Standard Time). Reads the ledger's movements; writes nothing.
 */
public final class Bills {
    /** One bill; amounts in signed fen (a purchase is negative), {@code reference} the order or code. */
    public record Bill(long id, String kind, long subsidyFen, long cashFen, String terminalId, long seq, String channel,
                       long timeMs) {
        public long amountFen() {
            return subsidyFen + cashFen;
        }
    }

    /** One page and the count of all bills matching. */
    public record Page(List<Bill> items, int total) {
    }

    private static final ZoneId CST = ZoneId.of("Asia/Shanghai");
    private static final String MONEY = " account_id = ? AND kind NOT IN ('OPEN', 'SIGHTING')"
            + " AND (subsidy_fen <> 0 OR cash_fen <> 0) AND time_ms >= ? AND time_ms < ?";

    private final UnitOfWork uow;

    public Bills(UnitOfWork uow) {
        this.uow = uow;
    }

    /** @param month null = every month */
    public Page page(long accountId, YearMonth month, int offset, int limit) {
        long from = month == null ? Long.MIN_VALUE : month.atDay(1).atStartOfDay(CST).toInstant().toEpochMilli();
        long to = month == null ? Long.MAX_VALUE : month.plusMonths(1).atDay(1).atStartOfDay(CST).toInstant().toEpochMilli();
        return uow.read("reading bills of " + accountId, tx -> {
            List<Bill> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT id, kind, subsidy_fen, cash_fen, terminal_id, coalesce(seq, 0), channel, time_ms
                    FROM movements WHERE """ + MONEY + " ORDER BY time_ms DESC, id DESC LIMIT ? OFFSET ?")) {
                p.setLong(1, accountId);
                p.setLong(2, from);
                p.setLong(3, to);
                p.setInt(4, limit);
                p.setInt(5, offset);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new Bill(r.getLong(1), r.getString(2), r.getLong(3), r.getLong(4), r.getString(5),
                                r.getLong(6), r.getString(7), r.getLong(8)));
                    }
                }
            }
            int total;
            try (PreparedStatement p = tx.c().prepareStatement("SELECT count(*) FROM movements WHERE " + MONEY)) {
                p.setLong(1, accountId);
                p.setLong(2, from);
                p.setLong(3, to);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    total = r.getInt(1);
                }
            }
            return new Page(out, total);
        });
    }
}
