package com.onecard.pos.center.ledger;

/**
 * One change of an account's purses (or a sighting, amount 0). Signed fen: debits negative.
 *
 * @param overdraft an offline sale took a purse below zero; accepted because it happened
 */
public record Movement(long accountId, String kind, String terminalId, long seq, long subsidyFen, long cashFen,
                       String channel, boolean overdraft, long timeMs) {

    static void insert(java.sql.Connection c, Movement m) throws java.sql.SQLException {
        try (var p = c.prepareStatement(SQL)) {
            bind(p, m);
            p.executeUpdate();
        }
    }

    static final String SQL = """
            INSERT INTO movements(account_id, kind, terminal_id, seq, subsidy_fen, cash_fen, channel, overdraft,
              time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** As {@link #SQL} with the terminal's epoch as parameter 10. */
    static final String SQL_WITH_EPOCH = """
            INSERT INTO movements(account_id, kind, terminal_id, seq, subsidy_fen, cash_fen, channel, overdraft,
              time_ms, epoch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    static void bind(java.sql.PreparedStatement p, Movement m) throws java.sql.SQLException {
        p.setLong(1, m.accountId());
        p.setString(2, m.kind());
        p.setString(3, m.terminalId());
        if (m.terminalId() == null) {
            p.setNull(4, java.sql.Types.BIGINT);
        } else {
            p.setLong(4, m.seq());
        }
        p.setLong(5, m.subsidyFen());
        p.setLong(6, m.cashFen());
        p.setString(7, m.channel());
        p.setBoolean(8, m.overdraft());
        p.setLong(9, m.timeMs());
    }

    static Movement read(java.sql.ResultSet r) throws java.sql.SQLException {
        return new Movement(r.getLong(1), r.getString(2), r.getString(3), r.getLong(4), r.getLong(5), r.getLong(6),
                r.getString(7), r.getBoolean(8), r.getLong(9));
    }

    static final String COLUMNS = "account_id, kind, terminal_id, seq, subsidy_fen, cash_fen, channel, overdraft, time_ms";
}
