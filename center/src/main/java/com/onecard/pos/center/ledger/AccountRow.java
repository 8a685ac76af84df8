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

    /** The account as the "accounts" stream carries it, with its newest card, minus applied_seq. */
    static AccountUpdate.Builder update(Tx tx, AccountRow a) throws SQLException {
        AccountUpdate.Builder u = AccountUpdate.newBuilder()
                .setAccountId(a.accountId())
                .setHolderName(a.holderName())
                .setStatusValue(a.status())
                .setSubsidyFen(a.subsidyFen())
                .setCashFen(a.cashFen())
                .setVersion(a.version())
                // no card-password verifier to terminals: the center checks passwords (OnlineAuthorization)
                .setExpiresDay(a.expiresDay());
        try (PreparedStatement p = tx.c().prepareStatement(
                "SELECT card_uid, card_serial, v1_ticket FROM cards WHERE account_id = ? ORDER BY card_serial DESC LIMIT 1")) {
            p.setLong(1, a.accountId());
            try (ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    u.setCardUid(ByteString.copyFrom(r.getBytes(1))).setCardSerial((int) r.getLong(2))
                            .setCardV1Ticket(ByteString.copyFrom(r.getBytes(3)));
                }
            }
        }
        return u;
    }

    static Downstream change(AccountUpdate.Builder u, long appliedSeq) {
        return Downstream.newBuilder().setStream(Streams.ACCOUNTS).setVersion(u.getVersion())
                .setAccount(u.clone().setAppliedSeq(appliedSeq)).build();
    }
}
