package com.onecard.pos.center;

import com.onecard.pos.center.db.DatabaseConfig;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One center instance.
 *
 * @param syncPort 0 picks an ephemeral port; read it back with {@link Center#syncPort()}
 * @param appPort  the campus app's HTTP API; 0 = ephemeral, -1 = not served by this instance
 * @param workers  threads doing database work for terminal sessions' uploads and replays; online
 *                 authorizations have a quarter of the pool besides (see docs/center.md, sizing)
 * @param policy   the ledger's rules (reversal window, hold time)
 * @param replaysAtOnce terminal sessions of this instance replaying their streams at once; the
 *                 others are open and served meanwhile and replay in turn (see docs/center.md)
 * @param replayChangesPerSecond the pace of those replays, all of this instance's together (account
 *                 and photo changes per second), so that they leave CPU to online authorizations
 * @param handshakesAtOnce terminal TLS handshakes this instance runs at once; further connections
 *                 wait, unread, for one to end (a fleet reconnecting at once leaves the other CPUs
 *                 to the open sessions' authorizations; see docs/center.md)
 * @param ticketSecret the secret the sync port's TLS session ticket keys derive from, at least 32
 *                 bytes, the same on every instance (terminals then resume their TLS sessions across
 *                 restarts and instances; {@code sync.ticket-secret-file}); null: a random secret of
 *                 this instance's own, so sessions resume only on it (docs/center.md, "TLS session
 *                 resumption")
 */
public record CenterConfig(String syncHost, int syncPort, String appHost, int appPort, Path caCert, Path serverCert,
                           Path serverKey, DatabaseConfig database, int workers, LedgerPolicy policy,
                           int replaysAtOnce, long replayChangesPerSecond, int handshakesAtOnce, byte[] ticketSecret) {
    public CenterConfig {
        if (ticketSecret != null && ticketSecret.length < 32) {
            throw new IllegalArgumentException("the ticket secret must be at least 32 bytes, got " + ticketSecret.length);
        }
        Objects.requireNonNull(syncHost, "syncHost");
        Objects.requireNonNull(caCert, "caCert");
        Objects.requireNonNull(serverCert, "serverCert");
        Objects.requireNonNull(serverKey, "serverKey");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(policy, "policy");
        if (syncPort < 0 || syncPort > 65535) {
            throw new IllegalArgumentException("sync port out of range: " + syncPort);
        }
        if (appPort < -1 || appPort > 65535) {
            throw new IllegalArgumentException("app port out of range: " + appPort);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        if (replaysAtOnce < 1) {
            throw new IllegalArgumentException("replays at once must be at least 1: " + replaysAtOnce);
        }
        if (replayChangesPerSecond < 1) {
            throw new IllegalArgumentException("replay changes per second must be at least 1: "
                    + replayChangesPerSecond);
        }
        if (handshakesAtOnce < 1) {
            throw new IllegalArgumentException("TLS handshakes at once must be at least 1: " + handshakesAtOnce);
        }
    }

    /** As the canonical constructor, with an instance's own ticket secret. */
    public CenterConfig(String syncHost, int syncPort, String appHost, int appPort, Path caCert, Path serverCert,
                        Path serverKey, DatabaseConfig database, int workers, LedgerPolicy policy, int replaysAtOnce,
                        long replayChangesPerSecond, int handshakesAtOnce) {
        this(syncHost, syncPort, appHost, appPort, caCert, serverCert, serverKey, database, workers, policy,
                replaysAtOnce, replayChangesPerSecond, handshakesAtOnce, null);
    }

    /** As the canonical constructor, with {@link #defaultHandshakesAtOnce()}. */
    public CenterConfig(String syncHost, int syncPort, String appHost, int appPort, Path caCert, Path serverCert,
                        Path serverKey, DatabaseConfig database, int workers, LedgerPolicy policy, int replaysAtOnce,
                        long replayChangesPerSecond) {
        this(syncHost, syncPort, appHost, appPort, caCert, serverCert, serverKey, database, workers, policy,
                replaysAtOnce, replayChangesPerSecond, defaultHandshakesAtOnce());
    }

    /** As the canonical constructor, replays paced at {@link #defaultReplayChangesPerSecond()}. */
    public CenterConfig(String syncHost, int syncPort, String appHost, int appPort, Path caCert, Path serverCert,
                        Path serverKey, DatabaseConfig database, int workers, LedgerPolicy policy, int replaysAtOnce) {
        this(syncHost, syncPort, appHost, appPort, caCert, serverCert, serverKey, database, workers, policy,
                replaysAtOnce, defaultReplayChangesPerSecond());
    }

    /** As the canonical constructor, with {@link #defaultReplaysAtOnce()} replays at once. */
    public CenterConfig(String syncHost, int syncPort, String appHost, int appPort, Path caCert, Path serverCert,
                        Path serverKey, DatabaseConfig database, int workers, LedgerPolicy policy) {
        this(syncHost, syncPort, appHost, appPort, caCert, serverCert, serverKey, database, workers, policy,
                defaultReplaysAtOnce());
    }

    /** One replay per CPU of this machine at once, at least 2. */
    public static int defaultReplaysAtOnce() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Half the CPUs of this machine, at least 1: a handshake runs on one thread at a time (center
     * side, then the terminal's, then the center's), so so many at once take at most half the CPUs
     * and the sessions already open keep the other half for their authorizations. Throughput is
     * this many ÷ one handshake's time (≈ 3–5 ms on a 2-CPU instance with terminals on the LAN,
     * ≈ 200–300 a second); raise it when terminals sign slowly (a key token's signature taking tens
     * of ms holds its handshake that long).
     */
    public static int defaultHandshakesAtOnce() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /**
     * 50,000 replayed changes per second per CPU of this machine: about a quarter of what a CPU
     * replays flat out (encoding, TLS, the acknowledgements), so a fleet's replay leaves most of
     * the instance to online authorizations (docs/center.md, sizing).
     */
    public static long defaultReplayChangesPerSecond() {
        return 50_000L * Runtime.getRuntime().availableProcessors();
    }

    /** Sync gateway on {@code host:port}, the app API on the same host, ephemeral port. */
    public static CenterConfig of(String host, int syncPort, Path caCert, Path serverCert, Path serverKey,
                                  DatabaseConfig database) {
        return new CenterConfig(host, syncPort, host, 0, caCert, serverCert, serverKey, database,
                defaultWorkers(database.poolSize()), LedgerPolicy.DEFAULT);
    }

    /**
     * Session threads that leave a quarter of the pool to authorizations, one connection to the
     * feed's reads and one to the ingest writer (a session waiting for its batch's group holds none).
     */
    public static int defaultWorkers(int poolSize) {
        return Math.max(1, poolSize - Math.max(2, poolSize / 4) - 2);
    }

    public CenterConfig withSyncPort(int port) {
        return new CenterConfig(syncHost, port, appHost, appPort, caCert, serverCert, serverKey, database, workers,
                policy, replaysAtOnce, replayChangesPerSecond, handshakesAtOnce, ticketSecret);
    }

    public CenterConfig withAppPort(int port) {
        return new CenterConfig(syncHost, syncPort, appHost, port, caCert, serverCert, serverKey, database, workers,
                policy, replaysAtOnce, replayChangesPerSecond, handshakesAtOnce, ticketSecret);
    }

    public CenterConfig withReplaysAtOnce(int n) {
        return new CenterConfig(syncHost, syncPort, appHost, appPort, caCert, serverCert, serverKey, database, workers,
                policy, n, replayChangesPerSecond, handshakesAtOnce, ticketSecret);
    }

    public CenterConfig withReplayChangesPerSecond(long n) {
        return new CenterConfig(syncHost, syncPort, appHost, appPort, caCert, serverCert, serverKey, database, workers,
                policy, replaysAtOnce, n, handshakesAtOnce, ticketSecret);
    }

    public CenterConfig withHandshakesAtOnce(int n) {
        return new CenterConfig(syncHost, syncPort, appHost, appPort, caCert, serverCert, serverKey, database, workers,
                policy, replaysAtOnce, replayChangesPerSecond, n, ticketSecret);
    }

    public CenterConfig withPolicy(LedgerPolicy other) {
        return new CenterConfig(syncHost, syncPort, appHost, appPort, caCert, serverCert, serverKey, database, workers,
                other, replaysAtOnce, replayChangesPerSecond, handshakesAtOnce, ticketSecret);
    }

    /** The same configuration with a ticket secret shared by the instances (at least 32 bytes). */
    public CenterConfig withTicketSecret(byte[] secret) {
        return new CenterConfig(syncHost, syncPort, appHost, appPort, caCert, serverCert, serverKey, database, workers,
                policy, replaysAtOnce, replayChangesPerSecond, handshakesAtOnce, secret == null ? null : secret.clone());
    }

    /** Never the ticket secret itself. */
    @Override
    public String toString() {
        return "CenterConfig[sync=" + syncHost + ":" + syncPort + ", app=" + appHost + ":" + appPort + ", ca=" + caCert
                + ", cert=" + serverCert + ", key=" + serverKey + ", database=" + database + ", workers=" + workers
                + ", policy=" + policy + ", replaysAtOnce=" + replaysAtOnce + ", replayChangesPerSecond="
                + replayChangesPerSecond + ", handshakesAtOnce=" + handshakesAtOnce + ", ticketSecret="
                + (ticketSecret == null ? "per-instance" : "***") + "]";
    }
}
