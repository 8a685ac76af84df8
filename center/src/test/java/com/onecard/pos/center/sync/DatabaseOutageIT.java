package com.onecard.pos.center.sync;

import com.onecard.pos.center.Center;
import com.onecard.pos.center.CenterConfig;
import com.onecard.pos.center.db.PrivatePostgres;
import com.onecard.pos.center.testing.Await;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.center.testing.FakeSink;
import com.onecard.pos.center.testing.Provisioned;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.sync.client.SyncClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away (as a crash) for 30 s in the middle of a terminal's upload
 * ({@code -Ddb.outage.seconds} to change it): nothing half-applied, the terminal retries, and
 * everything drains exactly once when the database is back. Uses a cluster of its own, since it
 * crashes it.
 */
class DatabaseOutageIT {
    static final String T = "T-DB-1";
    static final long ACCOUNT = 4001;
    static final byte[] UID = {0x04, 0x01, 0x02, 0x03};
    static final int ROWS = 3_000;

    @TempDir
    static Path keysDir;
    static Provisioned keys;
    static PrivatePostgres pg;

    @BeforeAll
    static void start() throws Exception {
        keys = Provisioned.run(keysDir, T);
        pg = PrivatePostgres.start(Path.of("target", "outage-pg-" + ProcessHandle.current().pid()).toAbsolutePath(),
                false);
        pg.createDatabase("outage");
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void aDatabaseAway30SecondsMidUploadLosesAndDoublesNothing() throws Exception {
        long outageSeconds = Long.getLong("db.outage.seconds", 30);
        try (Center center = Center.start(CenterConfig.of("127.0.0.1", 0, keys.ca(), keys.centerCert(),
                keys.centerKey(), pg.config("outage", 8)))) {
            center.ledger().terminals().register(T, keys.secret(T));
            center.ledger().accounts().open(ACCOUNT, UID, 1, "Zhou Min", 10_000_000, 0, "", 0);
            FakeOutbox outbox = new FakeOutbox(keys.secret(T));
            outbox.appendSales(ROWS, ACCOUNT, UID, 3);
            try (SyncClient client = new SyncClient(new SyncClientConfig("localhost", center.syncPort(), T, "it",
                    keys.ca(), keys.cert(T), keys.key(T), Duration.ofSeconds(1), 50, Duration.ofMillis(5)), outbox,
                    new FakeSink(), Clock.systemUTC())) {
                client.start();
                Await.until(Duration.ofSeconds(60), () -> outbox.lastAcknowledged() >= 300, () -> "" + client.status());
                pg.crash();
                long atCrash = outbox.lastAcknowledged();
                long until = System.nanoTime() + Duration.ofSeconds(outageSeconds).toNanos();
                while (System.nanoTime() < until) {
                    // hold the fault: the terminal keeps trying meanwhile
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
                }
                assertThat(outbox.lastAcknowledged()).as("nothing acknowledged that could not be committed")
                        .isLessThanOrEqualTo(atCrash + 50L * 4);
                pg.restart();
                Await.until(Duration.ofSeconds(120), () -> outbox.lastAcknowledged() == ROWS, () -> "" + client.status());
            }
            assertThat(center.ledger().ingest().appliedRows(T)).isEqualTo(outbox.all());
            assertThat(center.ledger().accounts().purses(ACCOUNT)).containsExactly(10_000_000 - 3L * ROWS, 0);
            assertThat(center.ledger().accounts().movements(ACCOUNT)).hasSize(1 + ROWS);
        }
    }
}
