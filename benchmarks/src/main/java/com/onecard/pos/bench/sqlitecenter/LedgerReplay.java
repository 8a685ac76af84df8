package com.onecard.pos.bench.sqlitecenter;

import com.google.protobuf.InvalidProtocolBufferException;
import com.onecard.pos.sync.proto.Downstream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Replays each stream after a terminal's cursor: latest state per key for accounts and
 * blacklist (compaction: a terminal that was away a week gets one update per account, not
 * every change), every entry for the append-only streams.
 */
final class LedgerReplay {
    private LedgerReplay() {
    }

    static void replay(Connection db, String tid, Map<String, Long> cursors, Consumer<Downstream> out)
            throws SQLException, InvalidProtocolBufferException {
        long accountsAfter = cursors.getOrDefault(Ledger.ACCOUNTS, 0L);
        try (PreparedStatement p = db.prepareStatement(
                "SELECT account_id FROM accounts WHERE version > ? ORDER BY version")) {
            p.setLong(1, accountsAfter);
            List<Long> ids = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getLong(1));
                }
            }
            long applied = LedgerReads.watermark(db, tid);
            for (long id : ids) {
                out.accept(LedgerReads.accountChange(db, id, applied));
            }
        }
        try (PreparedStatement p = db.prepareStatement(
                "SELECT card_uid FROM blacklist WHERE version > ? ORDER BY version")) {
            p.setLong(1, cursors.getOrDefault(Ledger.BLACKLIST, 0L));
            List<byte[]> uids = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    uids.add(r.getBytes(1));
                }
            }
            for (byte[] uid : uids) {
                out.accept(Downstream.newBuilder().setStream(Ledger.BLACKLIST)
                        .setVersion(LedgerReads.blacklistVersion(db, uid))
                        .setBlacklist(LedgerReads.blacklistEntry(db, uid).orElseThrow()).build());
            }
        }
        for (String stream : List.of(Ledger.MESSAGES, Ledger.QR, Ledger.CONFIG)) {
            try (PreparedStatement p = db.prepareStatement("""
                    SELECT payload FROM stream_log WHERE stream = ? AND version > ?
                      AND (terminal_id IS NULL OR terminal_id = ?) ORDER BY version""")) {
                p.setString(1, stream);
                p.setLong(2, cursors.getOrDefault(stream, 0L));
                p.setString(3, tid);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.accept(Downstream.parseFrom(r.getBytes(1)));
                    }
                }
            }
        }
    }
}
