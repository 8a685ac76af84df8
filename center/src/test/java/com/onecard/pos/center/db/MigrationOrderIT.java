package com.onecard.pos.center.db;

import com.onecard.pos.center.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's migrations take V1-V99 and the app's V100 and up (docs/center.md): a database
 * that already holds the app's migrations still takes a ledger migration released later.
 */
class MigrationOrderIT {

    @Test
    void aLedgerMigrationReleasedAfterTheAppsIsAppliedToADatabaseThatHasThem() throws Exception {
        PrivatePostgres pg = TestPostgres.cluster();
        pg.createDatabase("migration_order");
        DatabaseConfig db = pg.config("migration_order", 1);
        Database.migrate(db);
        assertThat(versions(db)).contains("100", "101", "102").doesNotContain("90");

        Database.migrate(db, "classpath:db/migration", "classpath:db/late-ledger");

        assertThat(versions(db)).contains("90", "102");
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement st = c.createStatement();
                ResultSet r = st.executeQuery("SELECT count(*) FROM late_ledger_change")) {
            assertThat(r.next()).isTrue();
        }
    }

    private static java.util.List<String> versions(DatabaseConfig db) throws Exception {
        java.util.List<String> v = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement st = c.createStatement();
                ResultSet r = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
            while (r.next()) {
                v.add(r.getString(1));
            }
        }
        return v;
    }
}
