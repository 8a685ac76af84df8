package com.onecard.pos.bench;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.store.Store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Puts a backlog of pending journal rows into a terminal store quickly: one transaction instead of
 * one fsync per row (100,000 appends through {@link Store#append} would take minutes and measure
 * nothing the benchmarks are about). Rows carry a correct MAC chain, so the store and the center
 * accept them as the terminal's own. The store must be closed while this runs.
 */
final class JournalFiller {
    private static final String INSERT = "INSERT INTO journal(seq,kind,sale_id,time_ms,card_uid,account_id,amount_fen,"
            + "subsidy_fen,cash_fen,mode,reverses_seq,qr_token,meal_period,prev_mac,mac) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private JournalFiller() {
    }

    /** Creates the store (schema) if needed and appends {@code rows} pending sales of {@code accountId}. */
    static void fill(Path file, byte[] secret, String terminalId, long accountId, byte[] uid, int rows) throws SQLException {
        try (Store s = Store.open(file, secret)) {
            if (s.lastSeq() != 0) {
                throw new IllegalStateException("store " + file + " is not empty");
            }
        }
        JournalMac mac = new JournalMac(secret);
        byte[] prev = JournalMac.genesis();
        long now = System.currentTimeMillis() - rows;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (int i = 1; i <= rows; i++) {
                    JournalRow r = mac.seal(prev, JournalRow.newBuilder().setSeq(i).setKind(RowKind.SALE)
                            .setSaleId(terminalId + "-b" + i).setTimeMs(now + i).setCardUid(ByteString.copyFrom(uid))
                            .setAccountId(accountId).setAmountFen(1).setSubsidyFen(1).setCashFen(0)
                            .setMode(AuthMode.OFFLINE).build());
                    ps.setLong(1, r.getSeq());
                    ps.setInt(2, r.getKindValue());
                    ps.setString(3, r.getSaleId());
                    ps.setLong(4, r.getTimeMs());
                    ps.setBytes(5, r.getCardUid().toByteArray());
                    ps.setLong(6, r.getAccountId());
                    ps.setLong(7, r.getAmountFen());
                    ps.setLong(8, r.getSubsidyFen());
                    ps.setLong(9, r.getCashFen());
                    ps.setInt(10, r.getModeValue());
                    ps.setLong(11, r.getReversesSeq());
                    ps.setString(12, r.getQrToken());
                    ps.setString(13, r.getMealPeriod());
                    ps.setBytes(14, r.getPrevMac().toByteArray());
                    ps.setBytes(15, r.getMac().toByteArray());
                    ps.addBatch();
                    if (i % 5000 == 0) {
                        ps.executeBatch();
                    }
                    prev = r.getMac().toByteArray();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }
}
