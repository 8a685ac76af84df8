package com.onecard.pos.center.db;

import com.onecard.pos.center.testing.Await;
import com.onecard.pos.center.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

/**
 * The ledger's pool is opened whole: an authorization never waits for a new PostgreSQL backend
 * and its password exchange while a fleet's replay or a rush takes the pool to its size.
 */
class DatabasePoolIT {

    @Test
    void everyConnectionOfThePoolIsOpenedBeforeAnyoneAsksForOne() throws Exception {
        DatabaseConfig config = TestPostgres.freshDatabase("pool_fixed");
        DatabaseConfig sized = new DatabaseConfig(config.url(), config.user(), config.password(), 5);
        String database = config.url().substring(config.url().lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        try (Database db = Database.open(sized)) {
            Await.until(Duration.ofSeconds(20), () -> backends(config, database) == 5,
                    () -> backends(config, database) + " of the pool's 5 connections open, none asked for");
        }
    }

    private static int backends(DatabaseConfig config, String database) {
        try (Connection c = DriverManager.getConnection(config.url(), config.user(), config.password());
                PreparedStatement p = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = ? AND application_name = 'onecard-center'")) {
            p.setString(1, database);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("counting the pool's backends in " + database, e);
        }
    }
}
