package com.onecard.pos.sim;

import com.onecard.pos.center.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sales through an outage of the center, end to end: the real terminal daemon (own JVM, PN532
 * emulator on a pty) keeps selling offline into its SQLite journal, which is its outbox; when the
 * center comes back on the same port and ledger, the sync client drains that journal and every
 * approved sale is at the center exactly once ({@link Simulation#verify}).
 * Default: 300 sales over a 10 s outage. {@code -Doutage.sales=10000 -Doutage.seconds=600} is the
 * RELIABILITY.md long run.
 */
class DaemonOutageIT {

    @Test
    void salesQueuedInTheDaemonsJournalThroughAnOutageDrainExactlyOnce() throws Exception {
        int sales = Integer.getInteger("outage.sales", 300);
        long seconds = Long.getLong("outage.seconds", 10);
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path work = Path.of("target/it-daemon-outage").toAbsolutePath();
        SimulateMain.wipe(work);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        Random r = new Random(15);
        try (Simulation sim = new Simulation(root, work, 15, out)
                .database(TestPostgres.freshDatabase("daemon_outage"))) {
            sim.setUp(Math.max(60, sales / 80));
            Window w = sim.windows().get(0);
            List<Student> payers = sim.students().stream().filter(s -> s.kind() == Student.Kind.NORMAL).toList();
            for (int i = 0; i < 10; i++) {
                w.tap(payers.get(r.nextInt(payers.size())), 50);
            }
            sim.stopCenter();
            long t0 = System.nanoTime();
            long offline = 0;
            for (int i = 0; i < sales; i++) {
                long due = t0 + i * seconds * 1_000_000_000L / sales;
                while (System.nanoTime() < due) {
                    java.util.concurrent.locks.LockSupport.parkNanos(Math.min(due - System.nanoTime(), 50_000_000L));
                }
                Outcome o = w.tap(payers.get(r.nextInt(payers.size())), 50);
                if (o.approved() && o.mode().equals("offline")) {
                    offline++;
                }
            }
            long outageMs = (System.nanoTime() - t0) / 1_000_000;
            long backlog = sim.sampleBacklog();
            sim.startCenter();
            long back = System.nanoTime();
            double drain = -1;
            while (System.nanoTime() - back < 120_000_000_000L) {
                if (sim.sampleBacklog() == 0) {
                    drain = (System.nanoTime() - back) / 1e9;
                    break;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
            }
            Verdict v = sim.verify(Duration.ofSeconds(120));
            String report = log.toString(StandardCharsets.UTF_8) + v.table()
                    + String.format("%noutage %d ms, %d sales tried, %d approved offline, backlog at return %d rows, drained in %.2f s%n",
                    outageMs, sales, offline, backlog, drain);
            System.out.println(report);
            assertThat(offline).as(report).isGreaterThanOrEqualTo(sales * 9L / 10);
            assertThat(backlog).as("the offline sales waited in the daemon's journal\n" + report).isGreaterThanOrEqualTo(offline);
            assertThat(drain).as("backlog drained after the center returned\n" + report).isGreaterThanOrEqualTo(0);
            assertThat(v.invariants).as(report).allSatisfy((name, ok) -> assertThat(ok).as(name + "\n" + report).isTrue());
        }
    }
}
