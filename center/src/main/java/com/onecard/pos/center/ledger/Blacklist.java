package com.onecard.pos.center.ledger;

import com.google.protobuf.ByteString;
import com.onecard.pos.center.db.Tx;
import com.onecard.pos.sync.proto.BlacklistEntry;
import com.onecard.pos.sync.proto.Downstream;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Lost cards: one entry per card uid, listed (lost) or unlisted (found), versioned on the "blacklist" stream. */
public final class Blacklist {
    private Blacklist() {
    }

    /** Lists ({@code listed}) or unlists a card inside the caller's transaction. */
    static void set(Tx tx, byte[] uid, long accountId, boolean listed) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement("""
                INSERT INTO blacklist(card_uid, account_id, listed, reason, version) VALUES (?, ?, ?, ?, 0)
                ON CONFLICT(card_uid) DO UPDATE SET listed = excluded.listed, reason = excluded.reason""")) {
            p.setBytes(1, uid);
            p.setLong(2, accountId);
            p.setBoolean(3, listed);
            p.setString(4, listed ? "reported lost" : "found");
            p.executeUpdate();
        }
        tx.cardListingChanged(uid);
    }

    static boolean isListed(Tx tx, byte[] uid) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement("SELECT listed FROM blacklist WHERE card_uid = ?")) {
            p.setBytes(1, uid);
            try (ResultSet r = p.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    /** Blacklist entries as the stream carries them, selected by {@code where} (with parameters), in version order. */
    static List<Downstream> changes(Tx tx, String where, long... params) throws SQLException {
        List<Downstream> out = new ArrayList<>();
        try (PreparedStatement p = tx.c().prepareStatement(
                "SELECT card_uid, account_id, listed, reason, version FROM blacklist WHERE " + where + " ORDER BY version")) {
            for (int i = 0; i < params.length; i++) {
                p.setLong(i + 1, params[i]);
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(Downstream.newBuilder().setStream(Streams.BLACKLIST).setVersion(r.getLong(5))
                            .setBlacklist(BlacklistEntry.newBuilder().setCardUid(ByteString.copyFrom(r.getBytes(1)))
                                    .setAccountId(r.getLong(2)).setListed(r.getBoolean(3)).setReason(r.getString(4)))
                            .build());
                }
            }
        }
        return out;
    }
}
