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

    /**
     * Movements as nine parallel SQL arrays, in list order: account_id bigint[], kind text[],
     * seq bigint[], subsidy_fen bigint[], cash_fen bigint[], channel text[], time_ms bigint[],
     * terminal_id text[], epoch int[] (the overdraft flag is decided by the statement that uses them).
     */
    record Columns(Long[] account, String[] kind, Long[] seq, Long[] subsidy, Long[] cash, String[] channel,
                   Long[] time, String[] terminal, Integer[] epoch) {
        /** Binds the nine arrays to parameters {@code from} .. {@code from + 8}. */
        void bind(java.sql.Connection c, java.sql.PreparedStatement p, int from) throws java.sql.SQLException {
            p.setArray(from, c.createArrayOf("bigint", account));
            p.setArray(from + 1, c.createArrayOf("text", kind));
            p.setArray(from + 2, c.createArrayOf("bigint", seq));
            p.setArray(from + 3, c.createArrayOf("bigint", subsidy));
            p.setArray(from + 4, c.createArrayOf("bigint", cash));
            p.setArray(from + 5, c.createArrayOf("text", channel));
            p.setArray(from + 6, c.createArrayOf("bigint", time));
            p.setArray(from + 7, c.createArrayOf("text", terminal));
            p.setArray(from + 8, c.createArrayOf("int4", epoch));
        }
    }

    /** {@code ms} with the terminal epoch of each ({@code epochs.get(i)} for {@code ms.get(i)}). */
    static Columns columns(java.util.List<Movement> ms, java.util.List<Integer> epochs) {
        int n = ms.size();
        Columns c = new Columns(new Long[n], new String[n], new Long[n], new Long[n], new Long[n], new String[n],
                new Long[n], new String[n], new Integer[n]);
        for (int i = 0; i < n; i++) {
            Movement m = ms.get(i);
            c.account[i] = m.accountId();
            c.kind[i] = m.kind();
            c.seq[i] = m.seq();
            c.subsidy[i] = m.subsidyFen();
            c.cash[i] = m.cashFen();
            c.channel[i] = m.channel();
            c.time[i] = m.timeMs();
            c.terminal[i] = m.terminalId();
            c.epoch[i] = epochs.get(i);
        }
        return c;
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
