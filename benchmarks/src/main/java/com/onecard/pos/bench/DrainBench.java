package com.onecard.pos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.Center;
import com.onecard.pos.center.CenterConfig;
import com.onecard.pos.sim.Keys;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.terminal.store.OutboxReader;

import java.nio.file.Path;
import java.util.ArrayList;
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
            Figure base = centerIngestAlone(c);
            report.add(base);
            report.add(Figure.single("drain_100k_seconds", secs, "s", "<= 10 s", n).against(base));
            report.add(Figure.single("drain_100k_sales_per_s", rows / secs, "sales/s", ">= 10000 sales/s", n));
        }
    }

    /**
     * Baseline in the same run: the same rows ingested straight into a fresh center database (same
     * cluster, accounts opened alike), 500 a call as the sync client sends them, no terminal, no TLS.
     */
    private Figure centerIngestAlone(Canteen c) throws Exception {
        Keys keys = Keys.provision(root, work.resolve("keys"), List.of(Canteen.TERMINAL));
        List<JournalRow> all = new ArrayList<>();
        try (OutboxReader r = new OutboxReader(c.daemon.dir.resolve("data/terminal.db"))) {
            List<JournalRow> page;
            while (!(page = r.rowsAfter(all.size(), 5000)).isEmpty()) {
                all.addAll(page);
            }
        }
        try (Center center = Center.start(CenterConfig.of("127.0.0.1", 0, keys.ca(), keys.centerCert(), keys.centerKey(),
                BenchPostgres.freshDatabase(work, "drain_baseline", 8)))) {
            center.ledger().terminals().register(Canteen.TERMINAL, keys.terminalSecret(Canteen.TERMINAL));
            java.util.Set<Long> opened = new java.util.HashSet<>();
            for (JournalRow row : all) {
                if (opened.add(row.getAccountId())) {
                    center.ledger().accounts().open(row.getAccountId(), row.getCardUid().toByteArray(), 1,
                            "Student " + row.getAccountId(), 1_000_000_000L, 1_000_000_000L, "", 0);
                }
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < all.size(); i += 500) {
                var res = center.ledger().ingest().ingest(Canteen.TERMINAL, all.subList(i, Math.min(all.size(), i + 500)));
                if (res.error() != null && res.error().getCode() != com.onecard.pos.sync.proto.UploadError.Code.CODE_UNSPECIFIED) {
                    throw new IllegalStateException("baseline ingest refused at row " + i + ": " + res.error());
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            return Figure.single("center_ingest_100k_alone_seconds", secs, "s", null, String.format(
                    "baseline: the same %,d rows straight into a fresh center database, 500 a call, no terminal, no TLS", all.size()));
        }
    }
}
