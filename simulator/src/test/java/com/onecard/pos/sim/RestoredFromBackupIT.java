package com.onecard.pos.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.ledger.Movement;
import com.onecard.pos.center.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real terminal daemon whose database is restored from its {@code .bak} (a copy taken while it
 * was stopped) after the center had applied sales the backup does not hold: its next rows chain to
 * another history, the center answers {@code JOURNAL_DIVERGED} and quarantines it, the terminal
 * stops uploading with an alarm while it goes on selling offline; {@code scripts/center terminal
 * reseat} gives it a new epoch and its journal drains: every approved sale, of both histories, is
 * charged exactly once, and the terminal's cache ends on the center's balances.
 */
class RestoredFromBackupIT {

    @Test
    void aDaemonRestoredFromItsBakIsDivergedThenReseatedAndEverySaleIsChargedExactlyOnce() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path work = Path.of("target/it-restored-bak").toAbsolutePath();
        SimulateMain.wipe(work);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        Random r = new Random(21);
        try (Simulation sim = new Simulation(root, work, 21, out).database(TestPostgres.freshDatabase("restored_bak"))) {
            sim.setUp(40);
            Window w = sim.windows().get(0);
            String id = w.id();
            List<Student> payers = sim.students().stream().filter(s -> s.kind() == Student.Kind.NORMAL).toList();
            Path data = w.terminal().dir().resolve("data");
            Path db = data.resolve("terminal.db");
            Path bak = data.resolve("terminal.db.bak");

            // A: sold and uploaded before the backup.
            for (int i = 0; i < 4; i++) {
                assertThat(w.tap(payers.get(r.nextInt(payers.size())), 150).approved()).isTrue();
            }
            await("the first sales uploaded", () -> backlog(w) == 0);
            w.terminal().close();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
                st.execute("VACUUM INTO '" + bak + "'");
            }
            // The backup is of the whole data folder (an SD card image): the journal anchor beside the
            // database is as old as the database, so the terminal cannot see the restore itself (a
            // database restored without its anchor is refused at start, JournalAnchorTest) and the
            // center must.
            Path anchor = data.resolve("terminal.db.anchor");
            Path anchorBak = data.resolve("terminal.db.anchor.bak");
            Files.copy(anchor, anchorBak);
            sim.restartTerminal(w);

            // B: sold and uploaded after the backup: the center holds them, the restored journal will not.
            for (int i = 0; i < 4; i++) {
                assertThat(w.tap(payers.get(r.nextInt(payers.size())), 230).approved()).isTrue();
            }
            await("the sales after the backup uploaded", () -> backlog(w) == 0);
            long appliedBeforeRestore = sim.center().ledger().terminals().appliedSeq(id);
            assertThat(appliedBeforeRestore).isEqualTo(8);

            // The restore, with the center away: the daemon sells on offline from its restored journal.
            sim.stopCenter();
            w.terminal().close();
            for (String f : List.of("terminal.db", "terminal.db-wal", "terminal.db-shm")) {
                Files.deleteIfExists(data.resolve(f));
            }
            Files.copy(bak, db);
            Files.copy(anchorBak, anchor, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            w.terminal().start(Duration.ofSeconds(30));
            await("the restored daemon's reader", () -> status(w).path("reader").path("state").asText().equals("OK"));
            assertThat(w.terminal().call("status").path("backlog").path("last_seq").asLong())
                    .as("the restored journal ends at the backup").isEqualTo(4);
            // C: six sales on the restored journal (seq 5..10): seq 5..8 are numbers the center already holds.
            for (int i = 0; i < 6; i++) {
                Outcome o = w.tap(payers.get(r.nextInt(payers.size())), 310);
                assertThat(o.approved()).as("offline sale on the restored journal").isTrue();
            }
            sim.startCenter();

            // The terminal sees it first: the center's Welcome carries the MAC of the last row it applied
            // (seq 8), and row 8 of the restored journal is another sale; uploads stop before a row is sent.
            // (A terminal without that anchor uploads and the center answers JOURNAL_DIVERGED and
            // quarantines it: DivergenceIT in the center module.)
            await("the terminal to raise its journal alarm", () -> !alarm(w).isEmpty());
            assertThat(alarm(w)).as("posctl status names the cause").containsIgnoringCase("not the row the center applied");
            assertThat(sim.center().ledger().terminals().appliedSeq(id)).as("nothing of the restored journal applied")
                    .isEqualTo(appliedBeforeRestore);

            String said = sim.centerAdmin("terminal", "reseat", id);
            assertThat(said).contains("epoch 2");

            await("the re-seated terminal to drain its journal", () -> backlog(w) == 0
                    && sim.center().ledger().terminals().appliedSeq(id) == 10);
            assertThat(sim.center().ledger().terminals().info(id).quarantined()).isFalse();
            await("the alarm to clear once the center takes the journal", () -> alarm(w).isEmpty());

            // Exactly once: each account holds its opening balance plus the set-up's app top-ups less
            // every approved sale of both histories (A and B at epoch 1, C at epoch 2; A's rows came
            // again at epoch 2 and moved nothing).
            long approved = 0;
            for (Student s : payers) {
                long[] p = sim.center().ledger().accounts().purses(s.accountId());
                long spent = sim.spent().getOrDefault(s.accountId(), 0L);
                long toppedUp = sim.toppedUp().getOrDefault(s.accountId(), 0L);
                assertThat(p[0] + p[1]).as("account %d", s.accountId()).isEqualTo(s.balanceFen() + toppedUp - spent);
                List<Movement> sales = sim.center().ledger().accounts().movements(s.accountId()).stream()
                        .filter(m -> m.kind().equals("SALE")).toList();
                approved += sales.size();
                assertThat(sales.stream().mapToLong(m -> -(m.subsidyFen() + m.cashFen())).sum())
                        .as("sales charged to account %d", s.accountId()).isEqualTo(spent);
                long centerTotal = p[0] + p[1];
                await("the terminal's cache to show the center's balance of " + s.accountId(),
                        () -> available(w, s) == centerTotal);
            }
            assertThat(approved).as("4 + 4 + 6 sales, each charged once").isEqualTo(14);
            assertThat(sim.approvedCount()).isEqualTo(14);
        } catch (AssertionError | IOException e) {
            throw new AssertionError(e.getMessage() + "\n" + log.toString(StandardCharsets.UTF_8), e);
        }
    }

    private static JsonNode status(Window w) {
        try {
            return w.terminal().call("status");
        } catch (IOException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private static long backlog(Window w) {
        try {
            return w.terminal().call("status").path("backlog").path("count").asLong();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String alarm(Window w) {
        try {
            return w.terminal().call("status").path("sync").path("journal_alarm").asText();
        } catch (IOException e) {
            return "";
        }
    }

    private static long available(Window w, Student s) {
        try {
            JsonNode a = w.terminal().call("card", "uid", s.uidHex()).path("account");
            return a.path("available_fen").asLong();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }

    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 60 s for " + what);
            }
            TerminalProcess.pause(50);
        }
    }
}
