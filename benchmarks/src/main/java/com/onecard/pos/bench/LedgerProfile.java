package com.onecard.pos.bench;

import com.onecard.pos.center.db.DatabaseConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where a benchmark's database time goes, from PostgreSQL itself: statements executed
 * ({@code pg_stat_statements}: calls and their total time, per statement text), WAL flushes
 * ({@code pg_stat_wal.wal_sync}: the fsyncs the commits cost, shared by group commit), commits,
 * and what the center's backends were doing, sampled every 10 ms from {@code pg_stat_activity}
 * (running, waiting for a lock, for the WAL flush, for the client's next statement). Figures
 * that do not depend on how busy the machine is: statements and fsyncs per batch, the share of
 * backend time spent waiting for locks.
 */
final class LedgerProfile implements AutoCloseable {
    /** The cluster settings the profile needs. */
    static final List<String> SETTINGS = List.of("shared_preload_libraries = 'pg_stat_statements'",
            "pg_stat_statements.track = all", "pg_stat_statements.max = 1000");

    /** What was measured between {@link #start} and {@link #stop}. */
    record Result(long statements, long commits, long walSyncs, Map<String, Integer> waits, int samples,
                  List<String> topStatements) {
        double per(long n, long of) {
            return of == 0 ? Double.NaN : (double) n / of;
        }

        /** Share of sampled backend states, e.g. "Lock:transactionid 41%, running 30%". */
        String waitSummary() {
            if (samples == 0) {
                return "no samples";
            }
            List<String> parts = new ArrayList<>();
            waits.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(6).forEach(e -> parts.add(
                    String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / samples)));
            return String.join(", ", parts);
        }

        double share(String prefix) {
            int n = 0;
            for (Map.Entry<String, Integer> e : waits.entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    n += e.getValue();
                }
            }
            return samples == 0 ? Double.NaN : 100.0 * n / samples;
        }
    }

    private final Connection c;
    private final String database;
    private final Map<String, Integer> waits = new TreeMap<>();
    private final AtomicBoolean sampling = new AtomicBoolean();
    private Thread sampler;
    private int samples;
    private long commits0;
    private long walSyncs0;

    LedgerProfile(DatabaseConfig db) throws SQLException {
        this.c = DriverManager.getConnection(db.url(), db.user(), db.password());
        this.c.setAutoCommit(true);
        this.database = c.getCatalog();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }
    }

    void start() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_statements_reset()");
        }
        commits0 = commits();
        walSyncs0 = walSyncs();
        sampling.set(true);
        sampler = new Thread(this::sample, "bench-pg-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    Result stop() throws SQLException, InterruptedException {
        sampling.set(false);
        sampler.join(5_000);
        long statements = 0;
        List<String> top = new ArrayList<>();
        Map<String, long[]> byText = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                SELECT query, calls, total_exec_time FROM pg_stat_statements
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND query NOT LIKE '%pg_stat_%' AND query NOT IN ('BEGIN', 'COMMIT', 'ROLLBACK')
                ORDER BY calls DESC""")) {
            while (r.next()) {
                statements += r.getLong(2);
                byText.put(r.getString(1).replaceAll("\\s+", " "), new long[] {r.getLong(2), (long) r.getDouble(3)});
            }
        }
        byText.entrySet().stream().limit(8).forEach(e -> top.add(e.getValue()[0] + " × " + e.getValue()[1] + " ms: "
                + e.getKey().substring(0, Math.min(110, e.getKey().length()))));
        synchronized (waits) {
            return new Result(statements, commits() - commits0, walSyncs() - walSyncs0, new TreeMap<>(waits), samples,
                    top);
        }
    }

    /**
     * CPU time (ms) used so far by the center's backends now connected ({@code /proc/PID/stat},
     * user + system); a backend that exited meanwhile is not counted.
     */
    long backendCpuMs() throws SQLException {
        long ticks = 0;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                SELECT pid FROM pg_stat_activity WHERE datname = current_database()
                  AND application_name = 'onecard-center'""")) {
            while (r.next()) {
                try {
                    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", r.getString(1), "stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (java.io.IOException | RuntimeException gone) {
                    // the backend exited between the query and the read
                }
            }
        }
        return ticks * 10;
    }

    private long commits() throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
            r.next();
            return r.getLong(1);
        }
    }

    private long walSyncs() throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT wal_sync FROM pg_stat_wal")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Every 10 ms: what each of the center's backends is doing (on the profile's connection; stop() waits for it). */
    private void sample() {
        while (sampling.get()) {
            try (Statement st = c.createStatement(); ResultSet r = st.executeQuery("""
                    SELECT state, wait_event_type, wait_event FROM pg_stat_activity
                    WHERE datname = current_database() AND backend_type = 'client backend'
                      AND pid <> pg_backend_pid() AND application_name = 'onecard-center'""")) {
                synchronized (waits) {
                    while (r.next()) {
                        String state = r.getString(1);
                        String type = r.getString(2);
                        String key;
                        if ("idle".equals(state)) {
                            continue;
                        } else if ("idle in transaction".equals(state)) {
                            key = "waiting for the center's next statement";
                        } else if (type == null) {
                            key = "running";
                        } else {
                            key = type + ":" + r.getString(3);
                        }
                        waits.merge(key, 1, Integer::sum);
                        samples++;
                    }
                }
                Thread.sleep(10);
            } catch (SQLException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() throws SQLException {
        sampling.set(false);
        c.close();
    }
}
