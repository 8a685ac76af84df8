package com.onecard.pos.sim;

import com.onecard.pos.center.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walking skeleton's path, as scripts/simulate runs it: PN532 emulator on a real socat pty,
 * the real daemon in its own JVM, real TLS to the reference center, real SQLite files.
 */
class LunchIT {

    @Test
    void everyApprovedSaleReachesTheCenterExactlyOnceAndTheLedgerEqualsTheJournal() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path work = Path.of("target/it-lunch").toAbsolutePath();
        SimulateMain.wipe(work);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Simulation sim = new Simulation(root, work, 7, new PrintStream(log, true, StandardCharsets.UTF_8))
                .database(TestPostgres.freshDatabase("lunch"))) {
            sim.setUp(12);
            sim.lunch();
            Verdict v = sim.verify(Duration.ofSeconds(30));
            String out = log.toString(StandardCharsets.UTF_8) + v.table();
            assertThat(v.invariants).as(out).isNotEmpty().allSatisfy((name, ok) -> assertThat(ok).as(name + "\n" + out).isTrue());
            assertThat(v.approved()).as(out).isGreaterThan(0);
            assertThat(v.declined().keySet()).as(out).contains("INSUFFICIENT_FUNDS", "UNKNOWN_CARD", "LOST", "BAD_CREDENTIAL");
            assertThat(v.uploaded).isEqualTo(v.approved());
            assertThat(v.acknowledged).isEqualTo(v.approved());
            assertThat(sim.center().ledger().ingest().appliedRows(Simulation.TERMINAL))
                    .as("center ledger rows").hasSize((int) sim.terminal().call("status").path("backlog").path("last_seq").asLong());
        }
    }
}
