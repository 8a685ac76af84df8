package com.onecard.pos.terminal.store;

import com.onecard.pos.terminal.journal.HmacJournalSealer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.onecard.pos.terminal.store.StoreTest.SECRET;
import static com.onecard.pos.terminal.store.StoreTest.sale;
import static org.assertj.core.api.Assertions.assertThat;

/** Verification from a tagged checkpoint: at start and for selftest, only the rows since the last check. */
class ChainCheckpointTest {
    @TempDir
    Path dir;

    Store open() {
        return Store.open(dir.resolve("t.db"), SECRET);
    }

    void sql(String s) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            c.createStatement().executeUpdate(s);
        }
    }

    JournalVerifier verifier() {
        return new JournalVerifier(dir.resolve("t.db"), new HmacJournalSealer(SECRET));
    }

    @Test
    void aCheckFromTheCheckpointWalksOnlyTheNewRows() {
        try (Store s = open(); JournalVerifier v = verifier()) {
            for (int i = 0; i < 10; i++) {
                s.append(sale(7, 0, 100));
            }
            assertThat(s.verifyFromCheckpoint().ok()).isTrue();
            s.append(sale(7, 0, 100));
            s.append(sale(7, 0, 100));
            var r = v.fromCheckpoint();
            assertThat(r.ok()).isTrue();
            assertThat(r.from().seq()).isEqualTo(10);
            assertThat(r.rows()).isEqualTo(2);
            assertThat(r.head().seq()).isEqualTo(12);
            s.saveCheckpoint(r.head());
            assertThat(v.fromCheckpoint().rows()).isZero();
            assertThat(v.full().rows()).isEqualTo(12);
        }
    }

    @Test
    void anEditAfterTheCheckpointIsFoundAtStartAndOneBeforeItByTheFullWalk() throws Exception {
        try (Store s = open()) {
            for (int i = 0; i < 5; i++) {
                s.append(sale(7, 0, 100));
            }
            assertThat(s.verifyFromCheckpoint().ok()).isTrue();
            s.append(sale(7, 0, 100));
        }
        sql("UPDATE journal SET amount_fen=1 WHERE seq=6");
        try (Store s = open()) {
            assertThat(s.verifyFromCheckpoint().problem()).contains("journal row 6");
        }
        sql("UPDATE journal SET amount_fen=100 WHERE seq=6");
        sql("UPDATE journal SET amount_fen=1 WHERE seq=2");
        try (Store s = open(); JournalVerifier v = verifier()) {
            assertThat(s.verifyFromCheckpoint().ok()).as("row 2 is behind the checkpoint").isTrue();
            assertThat(v.full().problem()).contains("journal row 2");
        }
    }

    @Test
    void aMovedOrForgedCheckpointIsRefused() throws Exception {
        try (Store s = open()) {
            for (int i = 0; i < 5; i++) {
                s.append(sale(7, 0, 100));
            }
            assertThat(s.verifyFromCheckpoint().ok()).isTrue();
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
             var rs = c.createStatement().executeQuery("SELECT value FROM meta WHERE key='chain_checkpoint'")) {
            String v = rs.getString(1);
            assertThat(v).startsWith("5:");
            String moved = "9" + v.substring(1);
            c.createStatement().executeUpdate("UPDATE meta SET value='" + moved + "' WHERE key='chain_checkpoint'");
        }
        try (Store s = open()) {
            assertThat(s.verifyFromCheckpoint().problem()).contains("checkpoint").contains("does not verify");
        }
    }

    @Test
    void rowsRemovedBelowTheCheckpointAreFound() throws Exception {
        try (Store s = open()) {
            for (int i = 0; i < 5; i++) {
                s.append(sale(7, 0, 100));
            }
            assertThat(s.verifyFromCheckpoint().ok()).isTrue();
        }
        sql("DELETE FROM journal WHERE seq>=4");
        try (Store s = open()) {
            assertThat(s.verifyFromCheckpoint().problem()).contains("journal row 5");
        }
    }

    @Test
    void theVerifierReadsWhileTheWriterHoldsItsTransaction() throws Exception {
        try (Store s = open(); JournalVerifier v = verifier()) {
            for (int i = 0; i < 50; i++) {
                s.append(sale(7, 0, 100));
            }
            try (var writer = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
                writer.setAutoCommit(false);
                writer.createStatement().executeUpdate("UPDATE meta SET value=value WHERE key='acked_seq'");
                writer.createStatement().executeUpdate("INSERT INTO meta(key,value) VALUES('held','1')");
                var report = CompletableFuture.supplyAsync(v::full).get(10, TimeUnit.SECONDS);
                assertThat(report.ok()).isTrue();
                assertThat(report.rows()).isEqualTo(50);
                writer.rollback();
            }
        }
    }

    /**
     * A check that yields to sales pauses between batches of rows (ChainWalk.BATCH); it stays one walk on one
     * snapshot, so rows a sale commits during a pause are left to the next check and every row is still checked.
     */
    @Test
    void aWalkPausesBetweenBatchesAndStaysOnOneSnapshot() {
        int rows = ChainWalk.BATCH * 2 + 10;
        try (Store s = open(); JournalVerifier v = verifier()) {
            for (int i = 0; i < rows; i++) {
                s.append(sale(7, 0, 100));
            }
            java.util.List<Long> pausedAt = new java.util.ArrayList<>();
            var r = v.full(() -> {
                pausedAt.add(s.lastSeq());
                s.append(sale(7, 0, 100)); // a sale committed while the check waits
            });
            assertThat(pausedAt).as("one pause after each full batch").hasSize(2);
            assertThat(r.ok()).isTrue();
            assertThat(r.rows()).as("every row of the snapshot, none of the sales made during the pauses").isEqualTo(rows);
            assertThat(r.head().seq()).isEqualTo(rows);
            assertThat(v.fromCheckpoint().ok()).isTrue();
        }
    }
}
