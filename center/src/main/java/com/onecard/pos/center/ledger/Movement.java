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

    /** A batch's movements of one terminal and epoch, in one statement (their ids follow the list's order). */
    static void insertAll(com.onecard.pos.center.db.Tx tx, String terminalId, int epoch, java.util.List<Movement> ms)
            throws java.sql.SQLException {
        if (ms.isEmpty()) {
            return;
        }
        int n = ms.size();
        Long[] account = new Long[n];
        String[] kind = new String[n];
        Long[] seq = new Long[n];
        Long[] subsidy = new Long[n];
        Long[] cash = new Long[n];
        String[] channel = new String[n];
        Boolean[] overdraft = new Boolean[n];
        Long[] time = new Long[n];
        for (int i = 0; i < n; i++) {
            Movement m = ms.get(i);
            account[i] = m.accountId();
            kind[i] = m.kind();
            seq[i] = m.seq();
            subsidy[i] = m.subsidyFen();
            cash[i] = m.cashFen();
            channel[i] = m.channel();
            overdraft[i] = m.overdraft();
            time[i] = m.timeMs();
        }
        java.sql.Connection c = tx.c();
        try (var p = c.prepareStatement("""
                INSERT INTO movements(account_id, kind, terminal_id, seq, subsidy_fen, cash_fen, channel, overdraft,
                  time_ms, epoch)
                SELECT x.account_id, x.kind, ?, x.seq, x.subsidy, x.cash, x.channel, x.overdraft, x.time_ms, ?
                FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::boolean[],
                  ?::bigint[]) WITH ORDINALITY AS x(account_id, kind, seq, subsidy, cash, channel, overdraft, time_ms, n)
                ORDER BY x.n""")) {
            p.setString(1, terminalId);
            p.setInt(2, epoch);
            p.setArray(3, c.createArrayOf("bigint", account));
            p.setArray(4, c.createArrayOf("text", kind));
            p.setArray(5, c.createArrayOf("bigint", seq));
            p.setArray(6, c.createArrayOf("bigint", subsidy));
            p.setArray(7, c.createArrayOf("bigint", cash));
            p.setArray(8, c.createArrayOf("text", channel));
            p.setArray(9, c.createArrayOf("boolean", overdraft));
            p.setArray(10, c.createArrayOf("bigint", time));
            p.executeUpdate();
        }
    }

    static final String SQL = """
            INSERT INTO movements(account_id, kind, terminal_id, seq, subsidy_fen, cash_fen, channel, overdraft,
              time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";

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
