package com.onecard.pos.bench;

import com.onecard.pos.center.db.DatabaseConfig;
import com.onecard.pos.center.db.PrivatePostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmarks' PostgreSQL: one private, durable cluster per bench run (fsync on, as a
 * deployed center has it) under the bench's working folder, stopped at exit; a fresh database
 * for each benchmark that needs one. {@code pg_stat_statements} is loaded for {@link LedgerProfile}.
 */
final class BenchPostgres {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static PrivatePostgres cluster;

    private BenchPostgres() {
    }

    static synchronized DatabaseConfig freshDatabase(Path work, String name, int poolSize) {
        try {
            if (cluster == null) {
                cluster = PrivatePostgres.start(work.getParent().resolve("bench-pg"), true, LedgerProfile.SETTINGS);
                PrivatePostgres started = cluster;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "bench-pg-stop"));
            }
            String db = name + "_" + COUNTER.incrementAndGet();
            cluster.createDatabase(db);
            return cluster.config(db, poolSize);
        } catch (IOException e) {
            throw new UncheckedIOException("starting the bench PostgreSQL cluster", e);
        } catch (SQLException e) {
            throw new IllegalStateException("creating bench database " + name + ": " + e.getMessage(), e);
        }
    }
}
