package com.onecard.pos.bench;

import com.onecard.pos.sim.Keys;
import com.onecard.pos.center.Center;
import com.onecard.pos.center.CenterConfig;
import com.onecard.pos.sync.Outbox;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.sync.client.SyncClientConfig;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.JournalRow;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * N real SyncClients (each with its own TLS identity) in this JVM, connected to one CenterServer.
 * Ledger.setStatus(account, LOST) → each client's downstream sink receives the listed blacklist
 * entry; then ACTIVE → unlisted. Per-terminal latency over all repetitions, time until the last
 * terminal has it, the center's CPU time per push and the heap at N connections.
 */
final class FleetBench {
    static final long ACCOUNT = 40_001;
    static final byte[] UID = HexFormat.of().parseHex("04b1ac01");
    private final Path root;
    private final Path keysDir;
    private final Path work;
    private final int terminals;
    private final int reps;
    private final int instances;

    FleetBench(Path root, Path keysDir, Path work, int terminals, int reps) {
        this(root, keysDir, work, terminals, reps, 1);
    }

    /** @param instances 1, or 2 center instances on one database with the terminals spread over both */
    FleetBench(Path root, Path keysDir, Path work, int terminals, int reps, int instances) {
        this.instances = instances;
        this.root = root;
        this.keysDir = keysDir;
        this.work = work;
        this.terminals = terminals;
        this.reps = reps;
    }

    /** One terminal's view: when it received the entry for the current round. */
    private static final class Probe {
        volatile boolean expectListed;
        volatile CountDownLatch latch;
        volatile long at;

        void accept(Downstream d) {
            if (d.hasBlacklist() && Arrays.equals(d.getBlacklist().getCardUid().toByteArray(), UID)
                    && d.getBlacklist().getListed() == expectListed) {
                CountDownLatch l = latch;
                if (l != null && at == 0) {
                    at = System.nanoTime();
                    l.countDown();
                }
            }
        }
    }

    private static final Outbox EMPTY = new Outbox() {
        @Override
        public List<JournalRow> rowsAfter(long afterSeq, int max) {
            return List.of();
        }

        @Override
        public void acknowledged(long seq) {
        }

        @Override
        public long lastAcknowledged() {
            return 0;
        }
    };

    private static boolean replaying(Center c) {
        return c.gateway().replaysInProgress() + c.gateway().replaysWaiting() > 0;
    }

    void run(Report report) throws Exception {
        Files.createDirectories(work);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= terminals; i++) {
            ids.add(String.format("F%04d", i));
        }
        long tk = System.nanoTime();
        // cached across runs: 1,000 identities take about a minute of openssl the first time
        Keys keys = Keys.provision(root, keysDir, ids, false);
        System.out.printf("fleet keys ready in %.1f s%n", (System.nanoTime() - tk) / 1e9);
        List<SyncClient> clients = new ArrayList<>();
        List<Probe> probes = new ArrayList<>();
        var db = BenchPostgres.freshDatabase(work, "fleet", 16);
        try (Center center = Center.start(CenterConfig.of("127.0.0.1", 0, keys.ca(), keys.centerCert(),
                keys.centerKey(), db));
             Center other = instances < 2 ? null : Center.start(CenterConfig.of("127.0.0.1", 0, keys.ca(),
                     keys.centerCert(), keys.centerKey(), db).withAppPort(-1))) {
            for (String id : ids) {
                center.ledger().terminals().register(id, keys.terminalSecret(id));
            }
            center.ledger().accounts().open(ACCOUNT, UID, 1, "Fleet Student", 10_000, 0, "", 0);
            System.gc();
            double heapIdle = heapUsedMb();
            long tc = System.nanoTime();
            for (String id : ids) {
                Probe p = new Probe();
                probes.add(p);
                Path td = keys.terminalDir(id);
                SyncClientConfig cfg = new SyncClientConfig("127.0.0.1",
                        other != null && probes.size() % 2 == 0 ? other.syncPort() : center.syncPort(), id, "bench", keys.ca(),
                        td.resolve("terminal.pem"), td.resolve("terminal.key"), Duration.ofSeconds(20), 500,
                        Duration.ofMillis(20));
                SyncClient c = new SyncClient(cfg, EMPTY, new NullSink(p::accept), Clock.systemUTC());
                clients.add(c);
                c.start();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (clients.stream().anyMatch(c -> !c.status().connected())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + clients.stream().filter(c -> c.status().connected()).count()
                            + " of " + terminals + " connected in 300 s");
                }
                Thread.sleep(50);
            }
            // and every first replay over (a center replays a few sessions at a time): a loss then reaches each
            // terminal live, as in the steady state this figure is about
            while (replaying(center) || (other != null && replaying(other))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the fleet's first replays did not end in 300 s");
                }
                Thread.sleep(50);
            }
            double connectS = (System.nanoTime() - tc) / 1e9;
            System.out.printf("%d terminals connected in %.1f s%n", terminals, connectS);
            Thread.sleep(1000);
            System.gc();
            double heapConnected = heapUsedMb();

            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            List<Double> perTerminal = new ArrayList<>();
            double[] all = new double[reps];
            double[] cpu = new double[reps];
            for (int r = 0; r < reps; r++) {
                for (boolean listed : new boolean[]{true, false}) {
                    CountDownLatch latch = new CountDownLatch(terminals);
                    for (Probe p : probes) {
                        p.at = 0;
                        p.expectListed = listed;
                        p.latch = latch;
                    }
                    long cpu0 = centerCpuNanos(mx);
                    long t0 = System.nanoTime();
                    long self0 = mx.getCurrentThreadCpuTime();
                    center.ledger().accounts().setStatus(ACCOUNT, listed ? AccountStatus.LOST : AccountStatus.ACTIVE);
                    long self = mx.getCurrentThreadCpuTime() - self0;
                    if (!latch.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException(latch.getCount() + " of " + terminals
                                + " terminals did not receive the blacklist change within 60 s");
                    }
                    long last = 0;
                    for (Probe p : probes) {
                        last = Math.max(last, p.at);
                        if (listed) {
                            perTerminal.add((p.at - t0) / 1e6);
                        }
                    }
                    if (listed) {
                        all[r] = (last - t0) / 1e6;
                        Thread.sleep(200);
                        cpu[r] = (centerCpuNanos(mx) - cpu0 + self) / 1e6;
                    }
                    Thread.sleep(300);
                }
            }
            double[] per = perTerminal.stream().mapToDouble(Double::doubleValue).toArray();
            if (other != null) {
                report.add(Figure.of("blacklist_1000_terminals_2_instances_ms", per, "ms", "p99 <= 1000 ms")
                        .withNote("per-terminal latency; loss committed on one instance, " + terminals
                                + " terminals spread over two on one database (LISTEN/NOTIFY); " + reps + " rounds"));
                return;
            }
            String n = terminals + " real SyncClients in one JVM, " + reps + " loss/unloss rounds; received = sink called";
            report.add(Figure.of("blacklist_1000_terminals_ms", per, "ms", "p99 <= 1000 ms")
                    .withNote("per-terminal latency; " + n));
            report.add(Figure.of("blacklist_1000_all_received_ms", all, "ms", null)
                    .withNote("until the last of " + terminals + " has it, per round"));
            report.add(Figure.of("center_cpu_per_loss_ms", cpu, "ms", null)
                    .withNote("CPU of center-* threads + setStatus caller, per loss push to " + terminals));
            Figure heap = Figure.single("center_heap_mb", heapConnected, "MB", null,
                    "heap used after GC at " + terminals + " connections; same JVM holds the clients (upper bound); "
                            + "baseline = center alone; connect and first replays took " + String.format("%.1f s", connectS));
            report.add(heap.against(Figure.single("idle", heapIdle, "MB", null, null)));
        } finally {
            AtomicReference<Exception> err = new AtomicReference<>();
            clients.parallelStream().forEach(c -> {
                try {
                    c.close();
                } catch (Exception e) {
                    err.set(e);
                }
            });
        }
    }

    /** CPU time of the threads named center-* (the center's I/O, database lanes, feed, authorizations). */
    static long centerCpuNanos(ThreadMXBean mx) {
        long sum = 0;
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("center-")) {
                long t = mx.getThreadCpuTime(info.getThreadId());
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }

    private static double heapUsedMb() {
        var m = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return m.getUsed() / (1024.0 * 1024.0);
    }
}
