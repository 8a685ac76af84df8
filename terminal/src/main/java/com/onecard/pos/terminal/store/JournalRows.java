package com.onecard.pos.terminal.store;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Maps journal rows between SQLite and the protocol's {@link JournalRow}: the store's own mapping,
 * public for the one tool that seeds a journal file in bulk (the benchmarks' year of sales).
 */
public final class JournalRows {
    private JournalRows() {
    }

    static final String COLUMNS = "seq,kind,sale_id,time_ms,card_uid,account_id,amount_fen,subsidy_fen,cash_fen,mode,"
            + "reverses_seq,qr_token,meal_period,prev_mac,mac";
    static final String SELECT = "SELECT " + COLUMNS + " FROM journal";
    /** Inserts one row: bind it with {@link #bind}. */
    public static final String INSERT = "INSERT INTO journal(" + COLUMNS + ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    /** Binds {@code r} to the 15 parameters of {@link #INSERT}. */
    public static void bind(PreparedStatement ps, JournalRow r) throws SQLException {
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
    }

    static JournalRow read(ResultSet rs) throws SQLException {
        return JournalRow.newBuilder()
                .setSeq(rs.getLong(1))
                .setKind(RowKind.forNumber(rs.getInt(2)))
                .setSaleId(rs.getString(3))
                .setTimeMs(rs.getLong(4))
                .setCardUid(ByteString.copyFrom(rs.getBytes(5)))
                .setAccountId(rs.getLong(6))
                .setAmountFen(rs.getLong(7))
                .setSubsidyFen(rs.getLong(8))
                .setCashFen(rs.getLong(9))
                .setMode(AuthMode.forNumber(rs.getInt(10)))
                .setReversesSeq(rs.getLong(11))
                .setQrToken(rs.getString(12))
                .setMealPeriod(rs.getString(13))
                .setPrevMac(ByteString.copyFrom(rs.getBytes(14)))
                .setMac(ByteString.copyFrom(rs.getBytes(15)))
                .build();
    }
}
