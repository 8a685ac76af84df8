package com.onecard.pos.bench;

import com.google.protobuf.ByteString;
import com.onecard.pos.bench.sqlitecenter.CenterServer;
import com.onecard.pos.center.Center;
import com.onecard.pos.center.CenterConfig;
import com.onecard.pos.center.db.DatabaseConfig;
import com.onecard.pos.sim.Keys;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.sync.client.SyncClientConfig;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The card center under a campus's load, in one run beside the old SQLite center (kept in
 * {@code bench.sqlitecenter} only for this): ingest from many terminals uploading at once (one
 * PostgreSQL instance and two on one database), online authorization p99 at many connected
 * terminals and a steady request rate, also while the whole fleet reconnects and replays.
 * Terminals are real SyncClients with their own TLS identities: in this JVM for ingest, in a JVM
 * of their own for authorization ({@link FleetProcess}).
 */
final class CenterBench {
    static final int ACCOUNTS = 2_000;
    static final long FIRST_ACCOUNT = 60_000;

    private final Path root;
    private final Path keysDir;
    private final Path work;
    private final int uploaders;
    private final int salesEach;
    private final int fleet;
    private final int authPerSecond;
    private final Duration authFor;

    CenterBench(Path root, Path keysDir, Path work, int uploaders, int salesEach, int fleet, int authPerSecond,
                Duration authFor) {
        this.root = root;
        this.keysDir = keysDir;
        this.work = work;
        this.uploaders = uploaders;
        this.salesEach = salesEach;
        this.fleet = fleet;
        this.authPerSecond = authPerSecond;
        this.authFor = authFor;
    }

    static byte[] uid(long i) {
        return new byte[] {0x04, 0x66, (byte) (i >> 8), (byte) i};
    }

    static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(String.format("F%04d", i));
        }
        return ids;
    }

    /** Registers terminals and opens the accounts, on the old or the new center. */
    private interface Books {
        void terminal(String id, byte[] secret) throws Exception;

        void account(long id, byte[] uid);

        /** PostgreSQL's own account of the upload, or null (the SQLite center). */
        default LedgerProfile profile() throws Exception {
            return null;
        }
    }

    /** @param parts "ingest" and/or "auth" */
    void run(Report report, java.util.Set<String> parts) throws Exception {
        Files.createDirectories(work);
        Keys keys = Keys.provision(root, keysDir, ids(Math.max(uploaders, fleet)), false);
        if (parts.contains("ingest")) {
            ingest(keys, report);
        }
        if (parts.contains("auth")) {
            authorization(keys, report);
        }
    }

    /**
     * Rounds of the PostgreSQL ingest after the first (cold) one, timed together as the steady
     * figure: the first round runs code the JIT has not compiled yet and lasts 1–2 s on a quiet
     * machine, too short to call a rate.
     */
    static final int STEADY_ROUNDS = 5;

    private void ingest(Keys keys, Report report) throws Exception {
        Figure sqlite = ingestSqlite(keys);
        report.add(sqlite.withNote("baseline: the SQLite reference center (one thread, one connection), one round; "
                + sqlite.note()));
        List<Figure> profile = new ArrayList<>();
        for (Figure f : ingestPostgres(keys, 1, profile)) {
            report.add(f.against(sqlite));
        }
        for (Figure f : ingestPostgres(keys, 2, new ArrayList<>())) {
            report.add(f.against(sqlite));
        }
        profile.forEach(report::add);
    }

    private Figure ingestSqlite(Keys keys) throws Exception {
        Path db = work.resolve("sqlite-ledger.db");
        for (String s : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(db.resolveSibling(db.getFileName() + s));
        }
        try (CenterServer c = CenterServer.start(new com.onecard.pos.bench.sqlitecenter.CenterConfig("127.0.0.1", 0,
                keys.ca(), keys.centerCert(), keys.centerKey(), db))) {
            Books books = new Books() {
                public void terminal(String id, byte[] secret) {
                    c.ledger().registerTerminal(id, secret);
                }

                public void account(long id, byte[] uid) {
                    c.ledger().openAccount(id, uid, 1, "S" + id, 1_000_000_000L, 0, "", 0);
                }
            };
            return ingest(keys, books, i -> c.port(), "center_ingest_sqlite_baseline_sales_per_s", "SQLite center",
                    0, new ArrayList<>()).get(0);
        }
    }

    /** The steady figure (after a first round, also reported as the cold figure), then the cold one. */
    private List<Figure> ingestPostgres(Keys keys, int instances, List<Figure> profile) throws Exception {
        DatabaseConfig db = BenchPostgres.freshDatabase(work, "ingest" + instances, 16);
        try (Center a = Center.start(CenterConfig.of("127.0.0.1", 0, keys.ca(), keys.centerCert(), keys.centerKey(), db));
             Center b = instances < 2 ? null : Center.start(CenterConfig.of("127.0.0.1", 0, keys.ca(),
                     keys.centerCert(), keys.centerKey(), db).withAppPort(-1))) {
            Books books = new Books() {
                public void terminal(String id, byte[] secret) {
                    a.ledger().terminals().register(id, secret);
                }

                public void account(long id, byte[] uid) {
                    a.ledger().accounts().open(id, uid, 1, "S" + id, 1_000_000_000L, 0, "", 0);
                }

                public LedgerProfile profile() throws Exception {
                    return new LedgerProfile(db);
                }
            };
            return ingest(keys, books, i -> b != null && i % 2 == 1 ? b.syncPort() : a.syncPort(),
                    instances == 1 ? "center_ingest_sales_per_s" : "center_ingest_2_instances_sales_per_s",
                    instances + " PostgreSQL instance" + (instances == 1 ? "" : "s on one database"), STEADY_ROUNDS,
                    profile);
        }
    }

    /** CPU time of this JVM's live threads whose name starts with {@code prefix}. */
    private static long threadCpuNanos(ThreadMXBean mx, String prefix) {
        long sum = 0;
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                sum += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    private static long pushed(List<NullSink> sinks) {
        return sinks.stream().mapToLong(NullSink::applied).sum();
    }

    /** The fan-out that went with the sales: every changed balance goes to every terminal serving the account. */
    private static String pushes(long pushed, long sales) {
        return String.format(java.util.Locale.ROOT, "%,d downstream changes (balances) applied by the terminals"
                + " meanwhile, %.1f per sale", pushed, (double) pushed / sales);
    }

    /** Releases the next round of {@code salesEach} sales to every terminal at once; returns when all are acked. */
    private long round(List<SealedOutbox> outboxes, List<SyncClient> clients, int round, String what)
            throws InterruptedException {
        long upTo = (long) round * salesEach;
        long t0 = System.nanoTime();
        System.out.printf("center ingest %s: round %d from %s%n", what, round, java.time.Instant.now());
        for (int i = 0; i < clients.size(); i++) {
            outboxes.get(i).releaseUpTo(upTo);
            clients.get(i).wake();
        }
        for (SealedOutbox o : outboxes) {
            if (!o.awaitAcked(upTo, 600_000)) {
                throw new IllegalStateException(what + ": a terminal's sales of round " + round
                        + " were not all acknowledged in 600 s");
            }
        }
        long ns = System.nanoTime() - t0;
        System.out.printf("center ingest %s: round %d until %s (%.2f s)%n", what, round, java.time.Instant.now(),
                ns / 1e9);
        return ns;
    }

    /**
     * The ingest figures: round 1 (every terminal releases {@code salesEach} sales at once; cold),
     * then {@code steadyRounds} more rounds one after another, timed together (steady). Returns the
     * steady figure first when there is one, then the cold one; with PostgreSQL, the profile of the
     * steady rounds (statements, fsyncs, waits, CPU per sale) goes into {@code profile}.
     */
    private List<Figure> ingest(Keys keys, Books books, IntFunction<Integer> portOf, String name, String what,
                                int steadyRounds, List<Figure> profile) throws Exception {
        List<String> ids = ids(uploaders);
        for (String id : ids) {
            books.terminal(id, keys.terminalSecret(id));
        }
        for (int i = 0; i < ACCOUNTS; i++) {
            books.account(FIRST_ACCOUNT + i, uid(FIRST_ACCOUNT + i));
        }
        List<SealedOutbox> outboxes = new ArrayList<>();
        for (String id : ids) {
            outboxes.add(new SealedOutbox(keys.terminalSecret(id), id, salesEach * (1 + steadyRounds), FIRST_ACCOUNT,
                    ACCOUNTS));
        }
        List<SyncClient> clients = new ArrayList<>();
        List<NullSink> sinks = new ArrayList<>();
        long cold;
        long steady = 0;
        long pushedCold;
        long pushedSteady = 0;
        long terminalsCpu = 0;
        List<String> roundTimes = new ArrayList<>();
        LedgerProfile pg = null;
        LedgerProfile.Result result = null;
        long backendCpu = 0;
        long centerCpu = 0;
        long coldCenterCpu;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try {
            for (int i = 0; i < ids.size(); i++) {
                Path td = keys.terminalDir(ids.get(i));
                SyncClient c = new SyncClient(new SyncClientConfig("127.0.0.1", portOf.apply(i), ids.get(i), "bench",
                        keys.ca(), td.resolve("terminal.pem"), td.resolve("terminal.key"), Duration.ofSeconds(20), 500,
                        Duration.ofMillis(20)), outboxes.get(i), sinkOf(sinks), Clock.systemUTC());
                clients.add(c);
                c.start();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
            while (clients.stream().anyMatch(x -> !x.status().connected())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + ": not all " + uploaders + " terminals connected in 600 s");
                }
                Thread.sleep(50);
            }
            // Every terminal connected and idle: now all their sales of a round become uploadable at once.
            long coldCpu0 = FleetBench.centerCpuNanos(mx);
            long pushed0 = pushed(sinks);
            cold = round(outboxes, clients, 1, what);
            coldCenterCpu = FleetBench.centerCpuNanos(mx) - coldCpu0;
            pushedCold = pushed(sinks) - pushed0;
            roundTimes.add(String.format(java.util.Locale.ROOT, "%.2f", cold / 1e9));
            if (steadyRounds > 0) {
                pg = books.profile();
                long backendCpu0 = 0;
                if (pg != null) {
                    pg.start();
                    backendCpu0 = pg.backendCpuMs();
                }
                long centerCpu0 = FleetBench.centerCpuNanos(mx);
                long pushedSteady0 = pushed(sinks);
                long terminalsCpu0 = threadCpuNanos(mx, "sync-");
                for (int r = 2; r <= 1 + steadyRounds; r++) {
                    long ns = round(outboxes, clients, r, what);
                    steady += ns;
                    roundTimes.add(String.format(java.util.Locale.ROOT, "%.2f", ns / 1e9));
                }
                centerCpu = FleetBench.centerCpuNanos(mx) - centerCpu0;
                pushedSteady = pushed(sinks) - pushedSteady0;
                terminalsCpu = threadCpuNanos(mx, "sync-") - terminalsCpu0;
                if (pg != null) {
                    backendCpu = pg.backendCpuMs() - backendCpu0;
                    result = pg.stop();
                }
            }
        } finally {
            clients.parallelStream().forEach(SyncClient::close);
            if (pg != null) {
                pg.close();
            }
        }
        long perRound = (long) uploaders * salesEach;
        long sales = perRound * steadyRounds;
        String shape = String.format(java.util.Locale.ROOT, "%d connected terminals, each releasing %d sales at once"
                + " (one 500-row batch at most, 4 in flight) over loopback TLS, %d accounts; from release to the last"
                + " ack", uploaders, salesEach, ACCOUNTS);
        Figure coldFigure = Figure.single(steadyRounds == 0 ? name : name.replace("_sales_per_s", "_cold_sales_per_s"),
                perRound / (cold / 1e9), "sales/s", ">= 20000 sales/s", String.format(java.util.Locale.ROOT,
                        "%s, first round in a fresh center (cold JIT): %s, %,d sales in %.2f s; %s%s", what, shape,
                        perRound, cold / 1e9, pushes(pushedCold, perRound), steadyRounds == 0 ? "" : String.format(
                                java.util.Locale.ROOT, "; center CPU %.1f ms per 1,000 sales",
                                coldCenterCpu / 1e6 * 1000.0 / perRound)));
        if (steadyRounds == 0) {
            return List.of(coldFigure);
        }
        if (result != null) {
            long batches = (long) uploaders * steadyRounds * ((salesEach + 499) / 500);
            profile.add(Figure.single("center_ingest_statements_per_batch", result.per(result.statements(), batches),
                    "statements", null, String.format(java.util.Locale.ROOT, "%s, steady rounds: SQL statements the"
                            + " ledger ran per upload batch (%d rows), pg_stat_statements; %d commits, top: %s", what,
                            Math.min(salesEach, 500), result.commits(), String.join(" | ", result.topStatements()))));
            profile.add(Figure.single("center_ingest_wal_syncs_per_batch", result.per(result.walSyncs(), batches),
                    "fsyncs", null, what + ", steady rounds: WAL flushes (pg_stat_wal.wal_sync) per upload batch;"
                            + " group commit shares one among the commits waiting"));
            profile.add(Figure.single("center_ingest_lock_wait_pct", result.share("Lock:"), "%", null, what
                    + ", steady rounds: share of the center's busy backend samples (every 10 ms) waiting for a lock;"
                    + " all: " + result.waitSummary()));
            profile.add(Figure.single("center_ingest_db_cpu_ms_per_1000_sales", backendCpu * 1000.0 / sales, "ms", null,
                    what + ", steady rounds: CPU of the center's PostgreSQL backends (/proc) per 1,000 sales"));
            if (pushedSteady > 0) {
                profile.add(Figure.single("center_ingest_center_cpu_us_per_push", centerCpu / 1e3 / pushedSteady, "µs",
                        null, String.format(java.util.Locale.ROOT, "%s, steady rounds: the center's CPU (all its"
                                + " threads, ingest included) per balance change a terminal applied (%,d); stable"
                                + " where sales/s is not, since the pushes per sale vary from run to run; the"
                                + " terminals' own CPU: %.2f µs per change", what, pushedSteady,
                                terminalsCpu / 1e3 / pushedSteady)));
            }
            profile.add(Figure.single(name.replace("_sales_per_s", "_center_cpu_ms_per_1000_sales"),
                    centerCpu / 1e6 * 1000.0 / sales, "ms", null, what + ", steady rounds: CPU of the center's threads"
                            + " (I/O, TLS, database lanes, ingest writer, change feed) per 1,000 sales, pushes to every"
                            + " terminal included"));
        }
        Figure steadyFigure = Figure.single(name, sales / (steady / 1e9), "sales/s", ">= 20000 sales/s",
                String.format(java.util.Locale.ROOT, "%s, steady: after a first round (the cold figure), %d more"
                        + " rounds one after another, each: %s; %,d sales in %.2f s (rounds: %s s); %s; the"
                        + " terminals' own threads (SyncClients in this JVM, on the same CPUs) used %.1f ms CPU per"
                        + " 1,000 sales", what, steadyRounds, shape, sales, steady / 1e9, String.join(", ", roundTimes),
                        pushes(pushedSteady, sales), terminalsCpu / 1e6 * 1000.0 / sales));
        return List.of(steadyFigure, coldFigure);
    }

    /**
     * Online authorization latency at {@code fleet} connected terminals and a steady rate; then
     * while the fleet reconnects after a center restart, twice: terminals keeping their cursors
     * (what a restart does), then with every cursor reset (every terminal replays every account).
     * The terminals and the loader run in a JVM of their own ({@link FleetProcess}).
     */
    private void authorization(Keys keys, Report report) throws Exception {
        DatabaseConfig db = BenchPostgres.freshDatabase(work, "auth", 16);
        // The product's defaults unless told otherwise (to take the levers apart in an A/B run):
        // -Dbench.handshakes-at-once=N (the center's sync.handshakes-at-once), -Dbench.reconnect-spread-ms=M
        // (each terminal's SyncClientConfig.reconnectSpread), -Dbench.replay-changes-per-second=R (the center's
        // sync.replay-changes-per-second).
        CenterConfig config = CenterConfig.of("127.0.0.1", 0, keys.ca(), keys.centerCert(), keys.centerKey(), db);
        config = config.withHandshakesAtOnce(Integer.getInteger("bench.handshakes-at-once", config.handshakesAtOnce()));
        config = config.withReplayChangesPerSecond(Long.getLong("bench.replay-changes-per-second",
                config.replayChangesPerSecond()));
        Duration spread = Duration.ofMillis(Long.getLong("bench.reconnect-spread-ms",
                SyncClientConfig.DEFAULT_RECONNECT_SPREAD.toMillis()));
        // As deployed with sync.ticket-secret-file: the restarted instance opens the tickets of the first, so
        // terminals resume their TLS sessions (-Dbench.ticket-secret=false: each instance its own, full handshakes).
        if (!"false".equals(System.getProperty("bench.ticket-secret"))) {
            config = config.withTicketSecret(randomSecret());
        }
        Center[] center = {Center.start(config)};
        try {
            List<String> ids = ids(fleet);
            for (String id : ids) {
                center[0].ledger().terminals().register(id, keys.terminalSecret(id));
            }
            for (int i = 0; i < ACCOUNTS; i++) {
                center[0].ledger().accounts().open(FIRST_ACCOUNT + i, uid(FIRST_ACCOUNT + i), 1, "S" + i,
                        1_000_000_000L, 0, "", 0);
            }
            System.gc();
            double heap0 = heapMb();
            int port = center[0].syncPort();
            try (FleetProcess terminals = FleetProcess.launch(keys.dir(), fleet, port, spread, authPerSecond)) {
                terminals.start();
                // Connected, and each terminal holds every account (its first replay is over): the steady
                // phase measures authorizations alone.
                terminals.awaitReady(true, Duration.ofMinutes(10));
                Thread.sleep(2_000);
                System.gc();
                double heap1 = heapMb();
                double centerBuffers = center[0].gateway().bufferMemory() / (1024.0 * 1024.0);
                System.out.printf("center auth: steady phase from %s%n", java.time.Instant.now());
                AuthLoad.Load steady = terminals.load("steady", authFor);
                report.add(Figure.of("center_online_auth_ms", steady.ms(), "ms", "p99 <= 10 ms").withNote(fleet
                        + " connected terminals, " + authPerSecond + " authorizations/s open loop for "
                        + authFor.toSeconds() + " s, each a hold on the account (durable PostgreSQL, round trip over"
                        + " loopback TLS; the terminals and the loader in a JVM of their own, on the same CPUs);"
                        + " latency from each request's scheduled time; " + steady.describe()));
                // Baseline in the same run: the same open-loop load straight into the ledger (no TLS, no Netty, no
                // terminal), on as many threads as the center's authorization pool: what the database and the
                // commit cost, so the round trip's tail can be told apart from it.
                System.out.printf("center auth: ledger-only phase from %s%n", java.time.Instant.now());
                AuthLoad.Load direct = loadDirect(center[0], authFor);
                report.add(Figure.of("center_online_auth_ledger_only_ms", direct.ms(), "ms", null).withNote(
                        "baseline: the same " + authPerSecond + "/s open loop calling OnlineAuthorization directly on "
                                + AUTH_THREADS + " threads (durable PostgreSQL, no network); " + direct.describe()));
                // The center restarts (stopped, then started again on the same port and database, as after an
                // upgrade or a crash under systemd): the whole fleet loses it at once and reconnects through each
                // SyncClient's own back-off; each resumes its TLS session where the new instance opens its ticket
                // (the ticket secret both instances hold, since session 7), else a full handshake. First as a restart is: each terminal resumes its streams from its cursors.
                Restart kept = restart(center, config, port, terminals, spread, "restart");
                // No budget of their own: ARCHITECTURE.md's "online authorization at 1,000 terminals, 200/s: p99 <= 10
                // ms" is the steady lunch rush above (center_online_auth_ms); these say what a restart costs it.
                report.add(Figure.of("center_online_auth_during_restart_ms", kept.load.ms(), "ms", null)
                        .withNote(kept.note("with their cursors (each resumes its streams where it stopped, as every"
                                + " terminal does: nothing to replay but what changed meanwhile)")));
                report.add(Figure.single("center_fleet_reconnect_s", kept.backS, "s", null, String.format(
                        java.util.Locale.ROOT, "from the center's stop (all %d connections lost) to every terminal"
                                + " connected again (%s TLS sessions resumed, the rest full handshakes;"
                                + " sync.handshakes-at-once %d, reconnect spread %d ms), the authorization load running"
                                + " for its first %d s", fleet, kept.resumed < 0 ? "no" : String.valueOf(kept.resumed),
                        kept.handshakesAtOnce, spread.toMillis(), authFor.toSeconds())));
                terminals.awaitReady(true, Duration.ofMinutes(10));
                Thread.sleep(2_000);
                // Then harsher than any restart: every terminal has lost its cursors (caches reset, a fleet
                // re-provisioned at once) and replays every account. Without the rewind a terminal asks from its
                // cursor and gets nothing to replay.
                terminals.rewind();
                Restart replay = restart(center, config, port, terminals, spread, "replay");
                report.add(Figure.of("center_online_auth_during_replay_ms", replay.load.ms(), "ms", null)
                        .withNote(replay.note(String.format(java.util.Locale.ROOT, "with their cursors at 0 and"
                                + " replay %d accounts each: %,d changes replayed during the %d s, %d terminals done"
                                + " by its end", ACCOUNTS, replay.appliedDuring, authFor.toSeconds(),
                                replay.replayedAll))));
                terminals.awaitReady(true, Duration.ofMinutes(10));
                report.add(Figure.single("center_fleet_replay_s", (System.nanoTime() - replay.stopNs) / 1e9, "s", null,
                        String.format(java.util.Locale.ROOT, "from the center's stop (all %d connections lost) to"
                                + " every terminal holding all %d accounts again (%,d changes), the authorization"
                                + " load above running for its first %d s", fleet, ACCOUNTS, (long) fleet * ACCOUNTS,
                                authFor.toSeconds())));
                report.add(Figure.single("center_heap_per_1000_terminals_mb", (heap1 - heap0) * 1000.0 / fleet, "MB",
                        null, String.format(java.util.Locale.ROOT, "the center's JVM: heap after GC with %d"
                                + " connected (every first replay over) minus before, per 1,000; the terminals run in"
                                + " a JVM of their own since session 7 (before, their TLS engines and pipelines"
                                + " counted here too); the center's session buffers (its own allocator, heap and"
                                + " direct) hold %.0f MB", fleet, centerBuffers)));
            }
        } finally {
            center[0].close();
        }
    }

    /** What one restart phase measured; {@link #note} describes it. */
    private record Restart(AuthLoad.Load load, double restartMs, long stopNs, double backS, long appliedDuring,
                           long replayedAll, int replaysAtOnce, int mostReplaysWaiting, int handshakesAtOnce,
                           int mostHandshakesWaiting, long handshakesWaited, long spreadMs, int fleet,
                           double fleetCpuMs, double centerCpuMs, long seconds, String centerTls, long resumed) {
        String note(String how) {
            return String.format(java.util.Locale.ROOT, "the same load from the moment the restarted center listens"
                    + " (stopped, then started in %.0f ms) while all %d terminals reconnect (%s of their TLS sessions"
                    + " resumed with the session ticket keys the instances share, the rest full handshakes) %s;"
                    + " every terminal connected again %.1f s after the stop; replays at once per instance %d, most"
                    + " waiting %d; TLS handshakes at once %d (sync.handshakes-at-once), most waiting %d, %d waited;"
                    + " each terminal reconnects through its SyncClient's back-off, the first delay drawn from [0, %d"
                    + " ms] (reconnectSpread); the center's TLS %s, the terminals' the JDK's; requests from terminals"
                    + " already back; CPU during the %d s: the center's JVM %.0f ms, the terminals' %.0f ms; %s; %s",
                    restartMs, fleet, resumed < 0 ? "none" : String.valueOf(resumed), how, backS,
                    replaysAtOnce, mostReplaysWaiting, handshakesAtOnce, mostHandshakesWaiting, handshakesWaited,
                    spreadMs, centerTls, seconds, centerCpuMs, fleetCpuMs,
                    load.describe(), load.perSecond());
        }
    }

    /**
     * Stops {@code center[0]}, starts it again on the same port and database, and runs the load
     * from the moment it listens; {@code center[0]} is the new instance afterwards.
     */
    private Restart restart(Center[] center, CenterConfig config, int port, FleetProcess terminals, Duration spread,
                            String phase) throws Exception {
        long applied0 = terminals.applied()[0];
        System.out.printf("center auth: %s phase from %s%n", phase, java.time.Instant.now());
        long stop = System.nanoTime();
        long stopMs = System.currentTimeMillis();
        center[0].close();
        long t0 = System.nanoTime();
        center[0] = Center.start(config.withSyncPort(port));
        double restartMs = (System.nanoTime() - t0) / 1e6;
        System.out.printf("center auth: center stopped, started again in %.0f ms %s%n", restartMs,
                java.time.Instant.now());
        terminals.watchReconnect();
        double fleetCpu0 = terminals.cpuMs();
        double centerCpu0 = processCpuMs();
        // The load starts when the new instance listens: the terminals are in their back-off then.
        AuthLoad.Load load = terminals.load(phase, authFor);
        double centerCpu = processCpuMs() - centerCpu0;
        double fleetCpu = terminals.cpuMs() - fleetCpu0;
        System.out.printf("center auth: %s phase's load ended %s%n", phase, java.time.Instant.now());
        terminals.awaitReady(false, Duration.ofMinutes(10));
        double backS = (terminals.reconnectedAtMs() - stopMs) / 1e3;
        long[] applied = terminals.applied();
        Center c = center[0];
        return new Restart(load, restartMs, stop, backS, applied[0] - applied0, applied[1],
                c.gateway().replaysAtOnce(), c.gateway().mostReplaysWaiting(), c.gateway().handshakeGate().atOnce(),
                c.gateway().handshakeGate().mostWaiting(), c.gateway().handshakeGate().waited(),
                spread.toMillis(), fleet, fleetCpu, centerCpu, authFor.toSeconds(), c.gateway().tlsIsBoringSsl() ? "BoringSSL" : "the JDK's",
                c.gateway().tlsSessionsResumed());
    }

    private static byte[] randomSecret() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    private static double processCpuMs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e6;
    }

    private static NullSink sinkOf(List<NullSink> sinks) {
        NullSink s = new NullSink(d -> { });
        sinks.add(s);
        return s;
    }

    /** The center's authorization threads with the bench's pool of 16 (Center.authThreads). */
    static final int AUTH_THREADS = 4;

    /** As {@link #load}, calling the ledger's authorization directly on {@link #AUTH_THREADS} threads. */
    private AuthLoad.Load loadDirect(Center c, Duration length) throws Exception {
        Random r = new Random(19);
        ConcurrentLinkedQueue<Double> ms = new ConcurrentLinkedQueue<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(AUTH_THREADS);
        List<java.util.concurrent.Future<?>> pending = new ArrayList<>();
        long periodNs = 1_000_000_000L / authPerSecond;
        long start = System.nanoTime();
        double maxLag = 0;
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        List<String> terminals = ids(fleet);
        try {
            for (long n = 0; ; n++) {
                long due = start + n * periodNs;
                if (due - start >= length.toNanos()) {
                    break;
                }
                maxLag = Math.max(maxLag, AuthLoad.awaitDue(due));
                long acc = FIRST_ACCOUNT + r.nextInt(ACCOUNTS);
                String terminal = terminals.get(r.nextInt(fleet));
                AuthRequest req = AuthRequest.newBuilder().setSaleId("direct-" + n)
                        .setCardUid(ByteString.copyFrom(uid(acc))).setAccountId(acc).setAmountFen(1)
                        .setTimeMs(System.currentTimeMillis()).build();
                pending.add(pool.submit(() -> {
                    try {
                        c.ledger().authorization().authorize(terminal, req);
                        ms.add((System.nanoTime() - due) / 1e6);
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        ms.add((double) AuthLoad.AUTH_TIMEOUT_MS);
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : pending) {
                f.get(AuthLoad.AUTH_TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        double[] all = ms.stream().mapToDouble(Double::doubleValue).toArray();
        return new AuthLoad.Load(all, failed.get(), 0, maxLag, new double[all.length]);
    }

    private static double heapMb() {
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0);
    }
}
