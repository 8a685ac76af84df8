package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.Downstream;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reads of committed stream changes, for pushing them to connected terminals. */
public final class StreamReads {
    /** A change for one terminal, or for every terminal when {@code terminalId} is null. */
    public record Routed(String terminalId, Downstream change) {
    }

    /** An account's new state (without applied_seq, set per terminal) and its campus (null = all). */
    public record AccountChange(String campus, AccountUpdate.Builder update) {
    }

    /** Changes of one stream in a version range. */
    public record Range(String stream, List<AccountChange> accounts, List<Routed> others) {
    }

    private final UnitOfWork uow;

    public StreamReads(UnitOfWork uow) {
        this.uow = uow;
    }

    /** The current state of these accounts for one terminal, in version order. */
    public List<Downstream> accounts(Collection<Long> accountIds, long appliedSeq) {
        if (accountIds.isEmpty()) {
            return List.of();
        }
        return uow.read("reading changed accounts", tx -> {
            List<AccountRow> rows = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT account_id, holder_name, status, subsidy_fen, cash_fen, version, pin_verifier, expires_day
                    FROM accounts WHERE account_id = ANY(?) ORDER BY version""")) {
                Array ids = tx.c().createArrayOf("bigint", accountIds.toArray());
                p.setArray(1, ids);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        rows.add(AccountRow.read(r));
                    }
                }
            }
            List<Downstream> out = new ArrayList<>();
            for (AccountRow a : rows) {
                out.add(AccountRow.change(AccountRow.update(tx, a), appliedSeq));
            }
            return out;
        });
    }

    /** Changes of {@code stream} with versions in (after, upTo], in version order. */
    public Range range(String stream, long after, long upTo) {
        return uow.read("reading " + stream + " changes after " + after, tx -> {
            List<AccountChange> accounts = new ArrayList<>();
            List<Routed> others = new ArrayList<>();
            switch (stream) {
                case Streams.ACCOUNTS -> {
                    List<AccountRow> rows = new ArrayList<>();
                    List<String> campuses = new ArrayList<>();
                    try (PreparedStatement p = tx.c().prepareStatement("""
                            SELECT account_id, holder_name, status, subsidy_fen, cash_fen, version, pin_verifier,
                              expires_day, campus FROM accounts WHERE version > ? AND version <= ? ORDER BY version""")) {
                        p.setLong(1, after);
                        p.setLong(2, upTo);
                        try (ResultSet r = p.executeQuery()) {
                            while (r.next()) {
                                rows.add(AccountRow.read(r));
                                campuses.add(r.getString(9));
                            }
                        }
                    }
                    for (int i = 0; i < rows.size(); i++) {
                        accounts.add(new AccountChange(campuses.get(i), AccountRow.update(tx, rows.get(i))));
                    }
                }
                case Streams.BLACKLIST -> {
                    List<byte[]> uids = new ArrayList<>();
                    try (PreparedStatement p = tx.c().prepareStatement(
                            "SELECT card_uid FROM blacklist WHERE version > ? AND version <= ? ORDER BY version")) {
                        p.setLong(1, after);
                        p.setLong(2, upTo);
                        try (ResultSet r = p.executeQuery()) {
                            while (r.next()) {
                                uids.add(r.getBytes(1));
                            }
                        }
                    }
                    for (byte[] uid : uids) {
                        Blacklist.change(tx, uid).ifPresent(d -> others.add(new Routed(null, d)));
                    }
                }
                default -> {
                    try (PreparedStatement p = tx.c().prepareStatement("""
                            SELECT terminal_id, payload FROM stream_log WHERE stream = ? AND version > ? AND version <= ?
                            ORDER BY version""")) {
                        p.setString(1, stream);
                        p.setLong(2, after);
                        p.setLong(3, upTo);
                        try (ResultSet r = p.executeQuery()) {
                            while (r.next()) {
                                others.add(new Routed(r.getString(1), Replay.parse(r.getBytes(2))));
                            }
                        }
                    }
                }
            }
            return new Range(stream, accounts, others);
        });
    }

    /** Every stream's committed version now. */
    public Map<String, Long> versions() {
        return uow.read("reading stream versions", tx -> StreamVersions.current(tx.c()));
    }
}
