package com.onecard.pos.center.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The ledger's PostgreSQL database: the schema brought up to date by Flyway (migrations in
 * {@code db/migration}), then a HikariCP pool. Every instance of the center runs the same
 * migrations at start; Flyway's own lock makes that safe when several start at once.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final DatabaseConfig config;
    private final HikariDataSource pool;

    private Database(DatabaseConfig config, HikariDataSource pool) {
        this.config = config;
        this.pool = pool;
    }

    /** Migrates the schema and opens the pool; {@link LedgerException} naming the URL when either fails. */
    public static Database open(DatabaseConfig config) {
        migrate(config);
        HikariConfig h = new HikariConfig();
        h.setPoolName("ledger");
        h.setJdbcUrl(config.url());
        h.setUsername(config.user());
        h.setPassword(config.password());
        h.setMaximumPoolSize(config.poolSize());
        // A fixed pool (HikariCP's advice): every connection is opened at start, none is retired when idle, so
        // an authorization never waits for a new backend and its SCRAM login when a fleet's replay or a lunch
        // rush takes the pool to its size (seen as connection-adder work during a fleet replay).
        h.setMinimumIdle(config.poolSize());
        h.setAutoCommit(false);
        h.setConnectionTimeout(5_000);
        h.setValidationTimeout(2_000);
        // Fail fast at start when the database is not there, rather than on the first sale.
        h.setInitializationFailTimeout(10_000);
        h.addDataSourceProperty("ApplicationName", "onecard-center");
        h.addDataSourceProperty("reWriteBatchedInserts", "true");
        h.addDataSourceProperty("tcpKeepAlive", "true");
        try {
            HikariDataSource pool = new HikariDataSource(h);
            log.info("ledger database {} open, pool of {}", config.url(), config.poolSize());
            return new Database(config, pool);
        } catch (RuntimeException e) {
            throw new LedgerException("opening the ledger pool on " + config.url(), e);
        }
    }

    /**
     * Applies pending migrations; safe to run from several instances at once. Version ranges
     * (docs/center.md): the ledger takes V1 to V99, the campus app's service V100 and up, so a
     * ledger migration released after an app one has a lower version than what the database
     * already holds: Flyway applies it ({@code outOfOrder}) instead of refusing to start.
     */
    public static void migrate(DatabaseConfig config) {
        migrate(config, "classpath:db/migration");
    }

    static void migrate(DatabaseConfig config, String... locations) {
        try {
            Flyway flyway = Flyway.configure()
                    .dataSource(config.url(), config.user(), config.password())
                    .locations(locations)
                    .outOfOrder(true)
                    .connectRetries(5)
                    .load();
            var result = flyway.migrate();
            if (result.migrationsExecuted > 0) {
                log.info("ledger schema migrated to version {} ({} migrations)", result.targetSchemaVersion,
                        result.migrationsExecuted);
            }
        } catch (FlywayException e) {
            throw new LedgerException("migrating the ledger schema on " + config.url(), e);
        }
    }

    /** A pooled connection, auto-commit off; the caller commits or rolls back and closes it. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * A connection outside the pool, auto-commit on, for a long-lived LISTEN; the caller closes it.
     */
    public Connection dedicatedConnection() throws SQLException {
        Properties p = new Properties();
        if (config.user() != null) {
            p.setProperty("user", config.user());
        }
        if (config.password() != null) {
            p.setProperty("password", config.password());
        }
        p.setProperty("ApplicationName", "onecard-center-feed");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(config.url(), p);
    }

    public DatabaseConfig config() {
        return config;
    }

    @Override
    public void close() {
        pool.close();
    }
}
