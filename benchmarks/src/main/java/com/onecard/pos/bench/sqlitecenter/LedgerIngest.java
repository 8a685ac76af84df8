package com.onecard.pos.bench.sqlitecenter;

import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.UploadError;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The ingest rules, inside the caller's transaction: idempotent on (terminal, seq), the
 * MAC chain checked row by row against the last applied row's mac, money moved exactly as
 * the row says (the terminal decided the sale; the center records what happened).
 */
final class LedgerIngest {
    private LedgerIngest() {
    }

    static IngestResult run(Connection db, Clock clock, String terminalId, List<JournalRow> rows, Set<Long> changed)
            throws SQLException {
        byte[] secret;
        long watermark;
        byte[] lastMac;
        try (PreparedStatement p = db.prepareStatement(
                "SELECT secret, applied_seq, last_mac, revoked FROM terminals WHERE id = ?")) {
            p.setString(1, terminalId);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next() || r.getInt(4) != 0) {
                    return error(0, UploadError.Code.MALFORMED, 0, 0, "terminal " + terminalId + " may not upload");
                }
                secret = r.getBytes(1);
                watermark = r.getLong(2);
                lastMac = r.getBytes(3);
            }
        }
        long start = watermark;
        JournalMac mac = new JournalMac(secret);
        for (JournalRow row : rows) {
            long seq = row.getSeq();
            if (seq <= watermark) {
                continue;
            }
            if (seq != watermark + 1) {
                return error(start, UploadError.Code.GAP, watermark + 1, seq,
                        "expected seq " + (watermark + 1) + " but got " + seq);
            }
            if (!mac.verify(lastMac, row)) {
                return error(start, UploadError.Code.BAD_MAC, watermark + 1, seq, "MAC chain broken at seq " + seq);
            }
            String malformed = validate(row);
            if (malformed != null) {
                return error(start, UploadError.Code.MALFORMED, watermark + 1, seq, malformed + " at seq " + seq);
            }
            apply(db, clock, terminalId, row, changed);
            watermark = seq;
            lastMac = row.getMac().toByteArray();
        }
        if (watermark != start) {
            try (PreparedStatement p = db.prepareStatement(
                    "UPDATE terminals SET applied_seq = ?, last_mac = ? WHERE id = ?")) {
                p.setLong(1, watermark);
                p.setBytes(2, lastMac);
                p.setString(3, terminalId);
                p.executeUpdate();
            }
        }
        return new IngestResult(watermark, null);
    }

    private static String validate(JournalRow row) {
        return switch (row.getKind()) {
            case SALE, REVERSAL -> row.getSubsidyFen() < 0 || row.getCashFen() < 0
                    ? "negative purse part"
                    : row.getSubsidyFen() + row.getCashFen() != row.getAmountFen()
                    ? "subsidy_fen + cash_fen != amount_fen" : null;
            case QR_SALE, LOST_CARD_SIGHTING -> null;
            default -> "unknown row kind " + row.getKindValue();
        };
    }

    private static void apply(Connection db, Clock clock, String terminalId, JournalRow row, Set<Long> changed)
            throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO journal(terminal_id, seq, row) VALUES (?, ?, ?)")) {
            p.setString(1, terminalId);
            p.setLong(2, row.getSeq());
            p.setBytes(3, row.toByteArray());
            p.executeUpdate();
        }
        long accountId = row.getAccountId();
        switch (row.getKind()) {
            case SALE -> {
                boolean overdraft = movePurses(db, accountId, -row.getSubsidyFen(), -row.getCashFen());
                insertMovement(db, new Movement(accountId, "SALE", terminalId, row.getSeq(), -row.getSubsidyFen(),
                        -row.getCashFen(), row.getMode().name(), overdraft, row.getTimeMs()));
                changed.add(accountId);
            }
            case REVERSAL -> {
                movePurses(db, accountId, row.getSubsidyFen(), row.getCashFen());
                insertMovement(db, new Movement(accountId, "REVERSAL", terminalId, row.getSeq(), row.getSubsidyFen(),
                        row.getCashFen(), "reverses:" + row.getReversesSeq(), false, row.getTimeMs()));
                changed.add(accountId);
            }
            case QR_SALE -> insertMovement(db, new Movement(accountId, "QR_SALE", terminalId, row.getSeq(), 0, 0,
                    "qr:" + row.getQrToken(), false, row.getTimeMs()));
            case LOST_CARD_SIGHTING -> {
                long owner = accountId != 0 ? accountId : accountOfCard(db, row.getCardUid().toByteArray());
                insertMovement(db, new Movement(owner, "SIGHTING", terminalId, row.getSeq(), 0, 0, "sighting", false,
                        row.getTimeMs()));
                try (PreparedStatement p = db.prepareStatement(
                        "INSERT INTO messages(account_id, text, time_ms) VALUES (?, ?, ?)")) {
                    p.setLong(1, owner);
                    p.setString(2, Ledger.sightingText(terminalId, row.getTimeMs()));
                    p.setLong(3, clock.millis());
                    p.executeUpdate();
                }
            }
            default -> throw new IllegalStateException("validated kind " + row.getKind());
        }
    }

    /** Returns true when a purse ended below zero (an offline sale overdrew it). */
    private static boolean movePurses(Connection db, long accountId, long subsidyDelta, long cashDelta)
            throws SQLException {
        try (PreparedStatement p = db.prepareStatement("""
                UPDATE accounts SET subsidy_fen = subsidy_fen + ?, cash_fen = cash_fen + ?, version = ?
                WHERE account_id = ? RETURNING subsidy_fen, cash_fen""")) {
            p.setLong(1, subsidyDelta);
            p.setLong(2, cashDelta);
            p.setLong(3, nextVersion(db, Ledger.ACCOUNTS));
            p.setLong(4, accountId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() && (r.getLong(1) < 0 || r.getLong(2) < 0);
            }
        }
    }

    private static long accountOfCard(Connection db, byte[] uid) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT account_id FROM cards WHERE card_uid = ?")) {
            p.setBytes(1, uid);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    static void insertMovement(Connection db, Movement m) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("""
                INSERT INTO movements(account_id, kind, terminal_id, seq, subsidy_fen, cash_fen, channel, overdraft,
                  time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            p.setLong(1, m.accountId());
            p.setString(2, m.kind());
            p.setString(3, m.terminalId());
            if (m.terminalId() == null) {
                p.setNull(4, java.sql.Types.INTEGER);
            } else {
                p.setLong(4, m.seq());
            }
            p.setLong(5, m.subsidyFen());
            p.setLong(6, m.cashFen());
            p.setString(7, m.channel());
            p.setInt(8, m.overdraft() ? 1 : 0);
            p.setLong(9, m.timeMs());
            p.executeUpdate();
        }
    }

    static long nextVersion(Connection db, String stream) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("""
                INSERT INTO stream_versions(stream, version) VALUES (?, 1)
                ON CONFLICT(stream) DO UPDATE SET version = version + 1 RETURNING version""")) {
            p.setString(1, stream);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static IngestResult error(long applied, UploadError.Code code, long expected, long offending, String msg) {
        return new IngestResult(applied, UploadError.newBuilder().setCode(code).setExpectedSeq(expected)
                .setOffendingSeq(offending).setMessage(msg).build());
    }
}
