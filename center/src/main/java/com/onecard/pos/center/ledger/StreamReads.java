package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.Downstream;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads of committed stream changes, for pushing them to connected terminals. */
public final class StreamReads {
    /** A change for one terminal, or for every terminal when {@code terminalId} is null. */
    public record Routed(String terminalId, Downstream change) {
    }

    /** An account's new state (without applied_seq, set per terminal) and its campus (null = all). */
    public record AccountChange(String campus, AccountUpdate update) {
    }

    /** Changes of one stream in a version range. */
    /**
     * @param watermarks for the accounts stream: each asked-for terminal's applied_seq in the same
     *                   snapshot as the accounts, i.e. exactly the sales of that terminal their purses
     *                   include (absent: not registered)
     */
    public record Range(String stream, List<AccountChange> accounts, List<Routed> others, Map<String, Long> watermarks) {
    }

    private final UnitOfWork uow;

    public StreamReads(UnitOfWork uow) {
        this.uow = uow;
    }

    /**
     * Changes of {@code stream} with versions in (after, upTo], in version order: for the
     * latest-state streams each key once, in its current state (a range read late covers many
     * commits at the cost of one read).
     */
    public Range range(String stream, long after, long upTo, java.util.Collection<String> terminals) {
        return uow.read("reading " + stream + " changes after " + after, tx -> {
            List<AccountChange> accounts = new ArrayList<>();
            List<Routed> others = new ArrayList<>();
            Map<String, Long> watermarks = new java.util.HashMap<>();
            switch (stream) {
                case Streams.ACCOUNTS -> {
                    try (PreparedStatement p = tx.c().prepareStatement(
                            "SELECT id, applied_seq FROM terminals WHERE id = ANY(?)")) {
                        p.setArray(1, tx.c().createArrayOf("text", terminals.toArray(new String[0])));
                        try (ResultSet r = p.executeQuery()) {
                            while (r.next()) {
                                watermarks.put(r.getString(1), r.getLong(2));
                            }
                        }
                    }
                    try (PreparedStatement p = tx.c().prepareStatement(AccountRow.STREAM_SELECT
                            + "WHERE a.version > ? AND a.version <= ? ORDER BY a.version")) {
                        p.setLong(1, after);
                        p.setLong(2, upTo);
                        try (ResultSet r = p.executeQuery()) {
                            while (r.next()) {
                                accounts.add(new AccountChange(r.getString(10), AccountRow.streamed(r)));
                            }
                        }
                    }
                }
                case Streams.BLACKLIST -> {
                    for (Downstream d : Blacklist.changes(tx, "version > ? AND version <= ?", after, upTo)) {
                        others.add(new Routed(null, d));
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
            return new Range(stream, accounts, others, watermarks);
        });
    }

    /** Every stream's committed version now. */
    public Map<String, Long> versions() {
        return uow.read("reading stream versions", tx -> StreamVersions.current(tx.c()));
    }
}
