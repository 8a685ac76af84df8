package com.onecard.pos.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;

/**
 * A backlog of N journal rows the center has not seen (a year's kind of sales over 2,000 accounts,
 * amounts of 3-25 yuan, reversals and sightings), drained by the real daemon: its own outbox and
 * sync client upload to the center on PostgreSQL over loopback TLS; the center applies the rows
 * and pushes the changed balances back, which the daemon's downstream router applies. Clock from
 * just before the daemon's fork (so it includes the daemon's start, connect and handshake) to the
 * daemon reporting an empty backlog; the center must then hold every row.
 */
final class DrainBench {
    private final Path root;
    private final Path work;
    private final int rows;

    DrainBench(Path root, Path work, int rows) {
        this.root = root;
        this.work = work;
        this.rows = rows;
    }

    void run(Report report) throws Exception {
        try (Canteen c = new Canteen(root, work, "offline-only", List.of(), 8,
                new Canteen.History(rows, TapBench.OTHER_ACCOUNTS, false))) {
            c.start();
            long t0 = c.daemon.startNanos;
            long deadline = t0 + 300_000_000_000L;
            JsonNode s;
            do {
                s = c.status();
                if (s.path("backlog").path("count").asLong() > 0) {
                    Thread.sleep(20);
                }
            } while (s.path("backlog").path("count").asLong() > 0 && System.nanoTime() < deadline);
            double secs = (System.nanoTime() - t0) / 1e9;
            if (s.path("backlog").path("count").asLong() > 0) {
                throw new IllegalStateException("backlog not drained in 300 s: " + s.path("backlog"));
            }
            long atCenter = c.center.ledger().terminals().appliedSeq(Canteen.TERMINAL);
            if (atCenter != rows) {
                throw new IllegalStateException("center applied up to seq " + atCenter + ", expected " + rows);
            }
            long accountsVersion = s.path("cache").path("cursors").path("accounts").asLong();
            String n = String.format("%,d rows over %,d accounts, real daemon (own outbox, sync client, downstream router) -> "
                    + "center on PostgreSQL, loopback TLS 1.3; includes the daemon's start; account stream at v%,d when drained",
                    rows, TapBench.OTHER_ACCOUNTS + c.cards.size(), accountsVersion);
            report.add(Figure.single("drain_100k_seconds", secs, "s", "<= 10 s", n));
            report.add(Figure.single("drain_100k_sales_per_s", rows / secs, "sales/s", ">= 10000 sales/s", n));
        }
    }
}
