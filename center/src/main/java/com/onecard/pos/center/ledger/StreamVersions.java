package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.sync.proto.Downstream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives a transaction's changes their stream versions, last thing before the commit.
 *
 * <p>Each stream has one counter row. Taking it with {@code UPDATE … RETURNING} locks it until
 * the commit, so versions of one stream commit in the order they were given: a terminal that
 * resumes from its cursor never misses a lower version that committed later. Taking the counter
 * last keeps that lock to the commit itself, and in one fixed order (accounts, blacklist,
 * messages, qr, config), so two transactions never deadlock on counters. The versions are then
 * announced with {@code pg_notify}, which PostgreSQL delivers to every instance's listener at
 * commit, in commit order, and never for a rolled-back transaction.
 */
public final class StreamVersions implements UnitOfWork.Sealer {

    @Override
    public void seal(Tx tx) throws SQLException {
        Connection c = tx.c();
        List<Long> accounts = new ArrayList<>(tx.changedAccounts());
        if (!accounts.isEmpty()) {
            versionAccounts(c, accounts);
        }
        List<byte[]> cards = tx.changedCards();
        if (!cards.isEmpty()) {
            long from = take(c, Streams.BLACKLIST, cards.size());
            try (PreparedStatement p = c.prepareStatement("UPDATE blacklist SET version = ? WHERE card_uid = ?")) {
                for (int i = 0; i < cards.size(); i++) {
                    p.setLong(1, from + i);
                    p.setBytes(2, cards.get(i));
                    p.addBatch();
                }
                p.executeBatch();
            }
            announce(c, Streams.BLACKLIST, from, from + cards.size() - 1);
        }
        for (String stream : Streams.APPEND_ONLY) {
            List<Tx.Appended> entries = tx.appended().stream().filter(a -> a.stream().equals(stream)).toList();
            if (entries.isEmpty()) {
                continue;
            }
            long from = take(c, stream, entries.size());
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO stream_log(stream, version, terminal_id, payload) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < entries.size(); i++) {
                    Tx.Appended a = entries.get(i);
                    Downstream d = a.change().setStream(stream).setVersion(from + i).build();
                    p.setString(1, stream);
                    p.setLong(2, from + i);
                    p.setString(3, a.terminalId());
                    p.setBytes(4, d.toByteArray());
                    p.addBatch();
                }
                p.executeBatch();
            }
            announce(c, stream, from, from + entries.size() - 1);
        }
    }

    /**
     * One statement: takes the accounts' versions from the counter (in account-id order), stamps
     * them on the accounts and announces the range, so the counter's lock is held for one round
     * trip and the commit.
     */
    private static void versionAccounts(Connection c, List<Long> accounts) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                WITH counter AS (
                  UPDATE stream_versions SET version = version + ? WHERE stream = ? RETURNING version - ? AS base),
                stamped AS (
                  UPDATE accounts a SET version = counter.base + x.n
                  FROM counter, unnest(?::bigint[]) WITH ORDINALITY AS x(account_id, n) WHERE a.account_id = x.account_id)
                SELECT pg_notify(?, ? || ' ' || (base + 1) || ' ' || (base + ?)) FROM counter""")) {
            int n = accounts.size();
            p.setInt(1, n);
            p.setString(2, Streams.ACCOUNTS);
            p.setInt(3, n);
            p.setArray(4, c.createArrayOf("bigint", accounts.toArray(new Long[0])));
            p.setString(5, Streams.CHANNEL);
            p.setString(6, Streams.ACCOUNTS);
            p.setInt(7, n);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("no version counter for stream " + Streams.ACCOUNTS);
                }
            }
        }
    }

    /** Reserves {@code n} versions of a stream; returns the first. */
    private static long take(Connection c, String stream, int n) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE stream_versions SET version = version + ? WHERE stream = ? RETURNING version")) {
            p.setInt(1, n);
            p.setString(2, stream);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("no version counter for stream " + stream);
                }
                return r.getLong(1) - n + 1;
            }
        }
    }

    /** Payload: "stream from to", for accounts moved by an upload also "terminal applied_seq". */
    private static void announce(Connection c, String stream, long from, long to)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            p.setString(1, Streams.CHANNEL);
            p.setString(2, stream + " " + from + " " + to);
            p.execute();
        }
    }

    /** Current version of every stream (what a listener starting now has already "seen"). */
    public static java.util.Map<String, Long> current(Connection c) throws SQLException {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT stream, version FROM stream_versions");
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), r.getLong(2));
            }
        }
        return out;
    }
}
