package com.onecard.pos.bench;

import com.onecard.pos.sim.Keys;
import com.onecard.pos.center.Center;
import com.onecard.pos.center.CenterConfig;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.sync.client.SyncClientConfig;
import com.onecard.pos.terminal.store.OutboxReader;
import com.onecard.pos.terminal.store.Store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * A backlog of N pending journal rows in a real terminal store, uploaded by the real SyncClient
 * (daemon defaults: 500 rows a batch, 20 ms linger) to a real CenterServer over loopback TLS.
 * Clock starts at SyncClient.start() (so it includes connect and TLS handshake) and stops when the
 * acknowledgement of the last row is committed in the terminal store.
 */
final class DrainBench {
    static final String TERMINAL = "T01";
    static final long ACCOUNT = 30_001;
    static final byte[] UID = HexFormat.of().parseHex("04d1a1a1");
    private final Path root;
    private final Path work;
    private final int rows;

    DrainBench(Path root, Path work, int rows) {
        this.root = root;
        this.work = work;
        this.rows = rows;
    }

    void run(Report report) throws Exception {
        Files.createDirectories(work);
        Keys keys = Keys.provision(root, work.resolve("keys"), List.of(TERMINAL), false);
        Path storeDb = work.resolve("terminal.db");
        for (Path p : List.of(storeDb)) {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(p.resolveSibling(p.getFileName() + suffix));
            }
        }
        byte[] secret = keys.terminalSecret(TERMINAL);
        JournalFiller.fill(storeDb, secret, TERMINAL, ACCOUNT, UID, rows);
        try (com.onecard.pos.terminal.app.TerminalLoop loop = new com.onecard.pos.terminal.app.TerminalLoop(TERMINAL);
             Center center = Center.start(CenterConfig.of("127.0.0.1", 0, keys.ca(), keys.centerCert(),
                keys.centerKey(), BenchPostgres.freshDatabase(work, "drain", 8)));
             Store store = Store.open(storeDb, secret);
             OutboxReader reader = new OutboxReader(storeDb)) {
            center.ledger().terminals().register(TERMINAL, secret);
            center.ledger().accounts().open(ACCOUNT, UID, 1, "Drain Student", 10L * rows, 0, "", 0);
            Path td = keys.terminalDir(TERMINAL);
            SyncClientConfig cfg = new SyncClientConfig("127.0.0.1", center.syncPort(), TERMINAL, "bench", keys.ca(),
                    td.resolve("terminal.pem"), td.resolve("terminal.key"), Duration.ofSeconds(2), 500, Duration.ofMillis(20));
            // the daemon's own outbox: reads on the reader's connection, acks committed on the terminal thread
            var outbox = new com.onecard.pos.terminal.app.StoreOutbox(reader, store, loop, java.time.Clock.systemUTC());
            long t0 = System.nanoTime();
            try (SyncClient client = new SyncClient(cfg, outbox, new NullSink(d -> { }), Clock.systemUTC())) {
                client.start();
                long deadline = t0 + Duration.ofSeconds(300).toNanos();
                long committed = 0;
                while ((committed = loop.call(store::ackedSeq).get()) < rows && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (committed < rows) {
                    throw new IllegalStateException("only " + committed + " of " + rows + " rows acknowledged in 300 s");
                }
                int atCenter = center.ledger().ingest().appliedRows(TERMINAL).size();
                if (atCenter != rows) {
                    throw new IllegalStateException("center applied " + atCenter + " rows, expected " + rows);
                }
                String n = String.format("%,d rows, SyncClient -> Center on PostgreSQL, loopback TLS 1.3", rows);
                report.add(Figure.single("drain_100k_seconds", s, "s", "<= 10 s", n));
                report.add(Figure.single("drain_100k_sales_per_s", rows / s, "sales/s", ">= 10000 sales/s", n));
            }
        }
    }
}
