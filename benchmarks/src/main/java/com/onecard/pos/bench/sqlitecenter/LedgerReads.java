package com.onecard.pos.bench.sqlitecenter;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.BlacklistEntry;
import com.onecard.pos.sync.proto.Downstream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Read-only queries of the ledger, run inside the caller's transaction and lock. */
final class LedgerReads {
    private LedgerReads() {
    }

    static Downstream accountChange(Connection db, long accountId, long appliedSeq) throws SQLException {
        AccountRow a = requireAccount(db, accountId);
        AccountUpdate.Builder u = AccountUpdate.newBuilder()
                .setAccountId(accountId)
                .setHolderName(a.holderName())
                .setStatusValue(a.status())
                .setSubsidyFen(a.subsidyFen())
                .setCashFen(a.cashFen())
                .setVersion(a.version())
                .setAppliedSeq(appliedSeq)
                .setPinVerifier(a.pinVerifier())
                .setExpiresDay(a.expiresDay());
        long version = a.version();
        try (PreparedStatement p = db.prepareStatement(
                "SELECT card_uid, card_serial, v1_ticket FROM cards WHERE account_id = ? ORDER BY card_serial DESC LIMIT 1")) {
            p.setLong(1, accountId);
            try (ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    u.setCardUid(ByteString.copyFrom(r.getBytes(1))).setCardSerial((int) r.getLong(2))
                            .setCardV1Ticket(ByteString.copyFrom(r.getBytes(3)));
                }
            }
        }
        return Downstream.newBuilder().setStream(Ledger.ACCOUNTS).setVersion(version).setAccount(u).build();
    }

    static Optional<BlacklistEntry> blacklistEntry(Connection db, byte[] uid) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(
                "SELECT account_id, listed, reason FROM blacklist WHERE card_uid = ?")) {
            p.setBytes(1, uid);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(BlacklistEntry.newBuilder().setCardUid(ByteString.copyFrom(uid))
                        .setAccountId(r.getLong(1)).setListed(r.getInt(2) != 0).setReason(r.getString(3)).build());
            }
        }
    }

    static long blacklistVersion(Connection db, byte[] uid) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT version FROM blacklist WHERE card_uid = ?")) {
            p.setBytes(1, uid);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    static boolean isListed(Connection db, byte[] uid) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT listed FROM blacklist WHERE card_uid = ?")) {
            p.setBytes(1, uid);
            try (ResultSet r = p.executeQuery()) {
                return r.next() && r.getInt(1) != 0;
            }
        }
    }

    static List<byte[]> cardsOf(Connection db, long accountId) throws SQLException {
        List<byte[]> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT card_uid FROM cards WHERE account_id = ?")) {
            p.setLong(1, accountId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getBytes(1));
                }
            }
        }
        return out;
    }

    static Long accountOf(Connection db, byte[] uid) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT account_id FROM cards WHERE card_uid = ?")) {
            p.setBytes(1, uid);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : null;
            }
        }
    }

    static boolean accountExists(Connection db, long accountId) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT 1 FROM accounts WHERE account_id = ?")) {
            p.setLong(1, accountId);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    record AccountRow(String holderName, int status, long subsidyFen, long cashFen, long version,
                              String pinVerifier, long expiresDay) {
    }

    static AccountRow requireAccount(Connection db, long accountId) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("""
                SELECT holder_name, status, subsidy_fen, cash_fen, version, pin_verifier, expires_day
                FROM accounts WHERE account_id = ?""")) {
            p.setLong(1, accountId);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalArgumentException("no account " + accountId);
                }
                return new AccountRow(r.getString(1), r.getInt(2), r.getLong(3), r.getLong(4), r.getLong(5),
                        r.getString(6), r.getLong(7));
            }
        }
    }

    static long watermark(Connection db, String terminalId) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT applied_seq FROM terminals WHERE id = ?")) {
            p.setString(1, terminalId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }
}
