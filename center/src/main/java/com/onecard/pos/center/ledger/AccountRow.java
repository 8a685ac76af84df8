package com.onecard.pos.center.ledger;

import com.google.protobuf.ByteString;
import com.onecard.pos.center.db.Tx;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.Downstream;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** One account as stored, and the reads of it that every aggregate shares (inside the caller's tx). */
record AccountRow(long accountId, String holderName, int status, long subsidyFen, long cashFen, long version,
                  String pinVerifier, long expiresDay) {

    private static final String SELECT = """
            SELECT account_id, holder_name, status, subsidy_fen, cash_fen, version, pin_verifier, expires_day
            FROM accounts WHERE account_id = ?""";

    static Optional<AccountRow> find(Tx tx, long accountId, boolean forUpdate) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement(forUpdate ? SELECT + " FOR UPDATE" : SELECT)) {
            p.setLong(1, accountId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    static AccountRow require(Tx tx, long accountId) throws SQLException {
        return find(tx, accountId, false).orElseThrow(() -> new IllegalArgumentException("no account " + accountId));
    }

    static AccountRow requireForUpdate(Tx tx, long accountId) throws SQLException {
        return find(tx, accountId, true).orElseThrow(() -> new IllegalArgumentException("no account " + accountId));
    }

    static AccountRow read(ResultSet r) throws SQLException {
        return new AccountRow(r.getLong(1), r.getString(2), r.getInt(3), r.getLong(4), r.getLong(5), r.getLong(6),
                r.getString(7), r.getLong(8));
    }

    static Long accountOfCard(Tx tx, byte[] uid) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement("SELECT account_id FROM cards WHERE card_uid = ?")) {
            p.setBytes(1, uid);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : null;
            }
        }
    }

    static Downstream change(AccountUpdate u, long appliedSeq) {
        return Downstream.newBuilder().setStream(Streams.ACCOUNTS).setVersion(u.getVersion())
                .setAccount(u.toBuilder().setAppliedSeq(appliedSeq)).build();
    }

    /**
     * The "accounts" stream's view of accounts with each one's newest card, in one query (no
     * lookup per account); append a WHERE on {@code a.} columns and an ORDER BY. Columns as
     * {@link #streamed} reads them, then the campus (10th). No card-password verifier: terminals
     * get none, the center checks passwords (OnlineAuthorization).
     */
    static final String STREAM_SELECT = """
            SELECT a.account_id, a.holder_name, a.status, a.subsidy_fen, a.cash_fen, a.version,
              a.expires_day, c.card_uid, c.card_serial, a.campus, c.v1_ticket
            FROM accounts a LEFT JOIN LATERAL (
              SELECT card_uid, card_serial, v1_ticket FROM cards WHERE cards.account_id = a.account_id
              ORDER BY card_serial DESC LIMIT 1) c ON true
            """;

    /** A row of {@link #STREAM_SELECT} as the stream carries it, minus applied_seq (set per terminal). */
    static AccountUpdate streamed(ResultSet r) throws SQLException {
        AccountUpdate.Builder u = AccountUpdate.newBuilder()
                .setAccountId(r.getLong(1))
                .setHolderName(r.getString(2))
                .setStatusValue(r.getInt(3))
                .setSubsidyFen(r.getLong(4))
                .setCashFen(r.getLong(5))
                .setVersion(r.getLong(6))
                .setExpiresDay(r.getLong(7));
        byte[] uid = r.getBytes(8);
        if (uid != null) {
            // a layout-1 card's ticket (docs/card-layout.md); empty for a layout-2 card
            u.setCardUid(ByteString.copyFrom(uid)).setCardSerial((int) r.getLong(9))
                    .setCardV1Ticket(ByteString.copyFrom(r.getBytes(11)));
        }
        return u.build();
    }
}
