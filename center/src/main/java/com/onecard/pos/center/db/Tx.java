package com.onecard.pos.center.db;

import com.onecard.pos.sync.proto.Downstream;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One unit of work: a connection inside one transaction, and what the work changed that
 * terminals must hear of. Aggregates only say what changed; the {@link UnitOfWork} gives the
 * changes their stream versions just before the commit and announces them with it.
 */
public final class Tx {
    /** An entry for an append-only stream; {@code terminalId} null = every terminal. */
    public record Appended(String stream, String terminalId, Downstream.Builder change) {
    }

    private final Connection connection;
    private final SortedSet<Long> accounts = new TreeSet<>();
    private final Map<String, byte[]> cards = new TreeMap<>();
    private final List<Appended> appended = new ArrayList<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private boolean rollbackOnly;

    Tx(Connection connection) {
        this.connection = connection;
    }

    public Connection c() {
        return connection;
    }

    /** The account's state (purses, status, holder, card) changed: it gets a new version at commit. */
    public void accountChanged(long accountId) {
        accounts.add(accountId);
    }

    /** The card's blacklist entry changed: it gets a new version at commit. */
    public void cardListingChanged(byte[] cardUid) {
        cards.put(HexFormat.of().formatHex(cardUid), cardUid.clone());
    }

    /** Appends one change to an append-only stream ("messages", "qr", "config"). */
    public void append(String stream, String terminalId, Downstream.Builder change) {
        appended.add(new Appended(stream, terminalId, change));
    }

    /** Runs after a successful commit, on the committing thread. */
    public void afterCommit(Runnable r) {
        afterCommit.add(r);
    }

    /** Ends the unit of work with a rollback; its result is still returned (a refused batch). */
    public void rollbackOnly() {
        rollbackOnly = true;
    }

    boolean isRollbackOnly() {
        return rollbackOnly;
    }

    public SortedSet<Long> changedAccounts() {
        return accounts;
    }

    /** Changed cards in a stable order (by uid hex), so locks are always taken in one order. */
    public List<byte[]> changedCards() {
        return List.copyOf(cards.values());
    }

    public List<Appended> appended() {
        return appended;
    }

    List<Runnable> afterCommitActions() {
        return afterCommit;
    }
}
