package com.onecard.pos.center.feed;

import com.onecard.pos.center.db.Database;
import com.onecard.pos.center.ledger.StreamReads;
import com.onecard.pos.center.ledger.Streams;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Brings every committed stream change, from this instance or any other on the same database,
 * to the terminals connected here. One thread LISTENs on {@link Streams#CHANNEL}; each
 * notification names a stream and the versions a transaction committed; the thread reads them
 * and pushes them to the subscribers, in commit order (the order PostgreSQL delivers
 * notifications in). It remembers the last version it pushed per stream, so a notification it
 * missed while its connection was down is covered by the next one, or by the catch-up it runs
 * after reconnecting.
 */
public final class ChangeFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
    private static final int POLL_MS = 500;

    private final Database db;
    private final StreamReads reads;
    private final Subscribers subscribers;
    private final Map<String, Long> pushed = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection listening;
    private volatile boolean live;

    public ChangeFeed(Database db, StreamReads reads, Subscribers subscribers) {
        this.db = db;
        this.reads = reads;
        this.subscribers = subscribers;
        this.pushed.putAll(reads.versions());
        this.thread = new Thread(this::loop, "center-feed");
        this.thread.setDaemon(true);
    }

    public ChangeFeed start() {
        thread.start();
        return this;
    }

    /** True while the LISTEN connection is up. */
    public boolean live() {
        return live;
    }

    private void loop() {
        long backoffMs = 100;
        while (running) {
            try (Connection c = db.dedicatedConnection()) {
                listening = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + Streams.CHANNEL);
                }
                live = true;
                backoffMs = 100;
                catchUp();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] ns = pg.getNotifications(POLL_MS);
                    if (ns != null && ns.length > 0) {
                        onNotifications(ns);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                live = false;
                if (!running) {
                    return;
                }
                log.warn("change feed: {}; reconnecting in {} ms", e.getMessage(), backoffMs);
                sleep(backoffMs);
                backoffMs = Math.min(5_000, backoffMs * 2);
            } finally {
                listening = null;
                live = false;
            }
        }
    }

    /**
     * Every notification that arrived since the last round, at once: watermarks first, then one
     * read per stream up to the newest version announced. While pushing takes longer than commits
     * come, more notifications wait for the next round and each read covers more commits: an
     * account changed by many of them is read and pushed once, in its newest state.
     */
    private void onNotifications(PGNotification[] ns) {
        Map<String, Long> upTo = new LinkedHashMap<>();
        for (PGNotification n : ns) {
            String payload = n.getParameter();
            String[] p = payload.split(" ");
            if (p.length == 2 && p[0].equals("close")) {
                TerminalSubscriber s = subscribers.get(p[1]);
                if (s != null) {
                    s.disconnect("re-seated or revoked at the card office");
                }
                continue;
            }
            // "stream from to"; an instance of the previous release adds "terminal seq" (not needed: the
            // watermarks are read with the rows, below).
            if (p.length != 3 && p.length != 5) {
                log.warn("change feed: ignoring notification '{}'", payload);
                continue;
            }
            upTo.merge(p[0], Long.parseLong(p[2]), Math::max);
        }
        for (Map.Entry<String, Long> e : upTo.entrySet()) {
            deliver(e.getKey(), e.getValue());
        }
    }

    /** After (re)connecting: whatever committed while nobody listened. */
    private void catchUp() {
        for (Map.Entry<String, Long> v : reads.versions().entrySet()) {
            deliver(v.getKey(), v.getValue());
        }
    }

    private void deliver(String stream, long upTo) {
        long after = pushed.getOrDefault(stream, 0L);
        if (upTo <= after) {
            return;
        }
        // Each terminal's watermark is read in the same snapshot as the accounts: their purses then
        // include exactly that terminal's sales up to it, so its overlay of sales not yet applied
        // never counts one twice nor misses one, however late this round runs.
        List<String> ids = new ArrayList<>();
        if (stream.equals(Streams.ACCOUNTS)) {
            for (TerminalSubscriber s : subscribers.all()) {
                ids.add(s.terminalId());
            }
        }
        StreamReads.Range range = reads.range(stream, after, upTo, ids);
        Map<String, Long> applied = range.watermarks();
        pushed.put(stream, upTo);
        if (subscribers.size() == 0) {
            return;
        }
        if (!range.accounts().isEmpty()) {
            // Each change encoded once; one list per campus, shared by its terminals; each terminal gets
            // it with its own watermark.
            List<StreamReads.AccountChange> changes = range.accounts();
            List<EncodedAccountUpdate> all = new ArrayList<>(changes.size());
            changes.forEach(ac -> all.add(EncodedAccountUpdate.of(ac.update())));
            Map<String, List<EncodedAccountUpdate>> byCampus = new HashMap<>();
            for (TerminalSubscriber s : subscribers.all()) {
                Long w = applied.get(s.terminalId());
                if (w == null) {
                    continue;
                }
                List<EncodedAccountUpdate> served = s.campus() == null ? all : byCampus.computeIfAbsent(s.campus(),
                        c -> servedBy(s, changes, all));
                if (!served.isEmpty()) {
                    s.pushAccounts(served, w);
                }
            }
        }
        for (StreamReads.Routed r : range.others()) {
            if (r.terminalId() == null) {
                for (TerminalSubscriber s : subscribers.all()) {
                    s.push(r.change());
                }
            } else {
                TerminalSubscriber s = subscribers.get(r.terminalId());
                if (s != null) {
                    s.push(r.change());
                }
            }
        }
    }

    /** The changes of {@code all} (encoded {@code changes}, same order) that {@code s} serves. */
    private static List<EncodedAccountUpdate> servedBy(TerminalSubscriber s, List<StreamReads.AccountChange> changes,
                                                       List<EncodedAccountUpdate> all) {
        List<EncodedAccountUpdate> out = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            if (serves(s, changes.get(i).campus())) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    /**
     * Which terminals hear of an account: those that can serve it, i.e. of its campus, or
     * serving every campus; an account with no campus is served everywhere.
     */
    static boolean serves(TerminalSubscriber s, String accountCampus) {
        return accountCampus == null || s.campus() == null || s.campus().equals(accountCampus);
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        Connection c = listening;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing the feed connection: {}", e.getMessage());
            }
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
