package com.onecard.pos.center.testing;

import com.onecard.pos.center.db.Database;
import com.onecard.pos.center.db.DatabaseConfig;
import com.onecard.pos.center.db.PrivatePostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One private PostgreSQL cluster per test JVM (started on first use under {@code target/},
 * stopped and deleted at exit), and a fresh database per caller, cloned from a migrated
 * template so each costs a {@code CREATE DATABASE}, not a migration.
 */
public final class TestPostgres {
    private static final String TEMPLATE = "onecard_template";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static PrivatePostgres cluster;

    private TestPostgres() {
    }

    public static synchronized PrivatePostgres cluster() {
        if (cluster == null) {
            Path dir = Path.of("target", "test-pg-" + ProcessHandle.current().pid()).toAbsolutePath();
            try {
                cluster = PrivatePostgres.start(dir.resolve("data"), false);
                cluster.createDatabase(TEMPLATE);
                Database.migrate(cluster.config(TEMPLATE, 1));
            } catch (IOException e) {
                throw new UncheckedIOException("starting the test PostgreSQL cluster in " + dir, e);
            } catch (SQLException e) {
                throw new IllegalStateException("creating the template database: " + e.getMessage(), e);
            }
            PrivatePostgres started = cluster;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                deleteQuietly(dir);
            }, "test-pg-stop"));
        }
        return cluster;
    }

    /** A new, migrated, empty database named after {@code hint}; pool of 8. */
    public static DatabaseConfig freshDatabase(String hint) {
        PrivatePostgres pg = cluster();
        String name = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            name = "db_" + name;
        }
        name = (name.length() > 40 ? name.substring(0, 40) : name) + "_" + COUNTER.incrementAndGet();
        try {
            pg.createDatabaseFrom(name, TEMPLATE);
        } catch (SQLException e) {
            throw new IllegalStateException("creating test database " + name + ": " + e.getMessage(), e);
        }
        return pg.config(name, 8);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> w = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) w.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // the cluster is stopped; a leftover folder under target/ is harmless
        }
    }
}
