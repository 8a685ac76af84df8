package com.onecard.pos.center.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import com.onecard.pos.center.db.LedgerException;
import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.Downstream;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Replays each stream after a terminal's cursors, from one database snapshot and under no
 * lock that anyone else waits for: latest state per key for accounts and blacklist
 * (compaction: a terminal that was away a week gets one update per account, not every change),
 * every entry for the append-only streams.
 */
public final class Replay {
    /**
     * What the snapshot held: each stream's version counter, so the session can drop live
     * changes it has just replayed and keep those committed after the snapshot.
     *
     * @param appliedSeq the terminal's watermark in the snapshot (carried by the account updates)
     */
    public record Snapshot(Map<String, Long> covered, long appliedSeq, int sent) {
    }

    private final UnitOfWork uow;

    public Replay(UnitOfWork uow) {
        this.uow = uow;
    }

    /** Sends everything after {@code cursors} to {@code out}, in version order per stream. */
    public Snapshot replay(String terminalId, Map<String, Long> cursors, Consumer<Downstream> out) {
        return replay(terminalId, cursors, ALL, out);
    }

    /** Every stream. */
    public static final Set<String> ALL = ordered(Streams.ACCOUNTS, Streams.BLACKLIST, Streams.APPEND_ONLY);

    /**
     * The streams a terminal needs at once, and small: lost cards, QR paid notices, messages,
     * configuration, payment-code keys. The others (account states, card photos) are the bulk of
     * a replay and wait their turn (docs/center.md, "A fleet reconnecting at once").
     */
    public static final Set<String> URGENT = Set.of(Streams.BLACKLIST, Streams.MESSAGES, Streams.QR, Streams.CONFIG,
            Streams.PAYCODE);

    /** Every stream that is not {@link #URGENT}. */
    public static final Set<String> BULK = ALL.stream().filter(x -> !URGENT.contains(x))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private static Set<String> ordered(String first, String second, List<String> more) {
        Set<String> s = new java.util.LinkedHashSet<>(List.of(first, second));
        s.addAll(more);
        return java.util.Collections.unmodifiableSet(s);
    }

    /**
     * Sends what changed after {@code cursors} on the given streams to {@code out}, in version
     * order per stream, from one snapshot.
     */
    public Snapshot replay(String terminalId, Map<String, Long> cursors, Set<String> streams, Consumer<Downstream> out) {
        return uow.read("replaying streams to " + terminalId, tx -> {
            Map<String, Long> covered = StreamVersions.current(tx.c());
            long applied = TerminalRegistry.watermark(tx, terminalId);
            int sent = 0;
            if (streams.contains(Streams.ACCOUNTS)) {
                String campus = TerminalRegistry.campus(tx, terminalId);
                sent += accounts(tx, cursors.getOrDefault(Streams.ACCOUNTS, 0L), applied, campus, out);
            }
            if (streams.contains(Streams.BLACKLIST)) {
                sent += blacklist(tx, cursors.getOrDefault(Streams.BLACKLIST, 0L), out);
            }
            for (String stream : Streams.APPEND_ONLY) {
                if (streams.contains(stream)) {
                    sent += appended(tx, stream, terminalId, cursors.getOrDefault(stream, 0L), out);
                }
            }
            return new Snapshot(covered, applied, sent);
        });
    }

    /** Accounts the terminal can serve (see ChangeFeed.serves) changed after the cursor; one query. */
    private static int accounts(Tx tx, long after, long applied, String campus, Consumer<Downstream> out)
            throws SQLException {
        List<AccountUpdate> rows = new ArrayList<>();
        try (PreparedStatement p = tx.c().prepareStatement(AccountRow.STREAM_SELECT + """
                WHERE a.version > ? AND (a.campus IS NULL OR CAST(? AS text) IS NULL OR a.campus = ?)
                ORDER BY a.version""")) {
            p.setLong(1, after);
            p.setString(2, campus);
            p.setString(3, campus);
            p.setFetchSize(1_000);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    rows.add(AccountRow.streamed(r));
                }
            }
        }
        for (AccountUpdate a : rows) {
            out.accept(AccountRow.change(a, applied));
        }
        return rows.size();
    }

    private static int blacklist(Tx tx, long after, Consumer<Downstream> out) throws SQLException {
        List<Downstream> changes = Blacklist.changes(tx, "version > ?", after);
        changes.forEach(out);
        return changes.size();
    }

    /** Entries of an append-only stream after a cursor, for every terminal or this one. */
    private static int appended(Tx tx, String stream, String terminalId, long after, Consumer<Downstream> out)
            throws SQLException {
        int n = 0;
        try (PreparedStatement p = tx.c().prepareStatement("""
                SELECT payload FROM stream_log WHERE stream = ? AND version > ?
                  AND (terminal_id IS NULL OR terminal_id = ?) ORDER BY version""")) {
            p.setString(1, stream);
            p.setLong(2, after);
            p.setString(3, terminalId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.accept(parse(r.getBytes(1)));
                    n++;
                }
            }
        }
        return n;
    }

    static Downstream parse(byte[] payload) {
        try {
            return Downstream.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new LedgerException("a stored stream entry does not parse", e);
        }
    }
}
