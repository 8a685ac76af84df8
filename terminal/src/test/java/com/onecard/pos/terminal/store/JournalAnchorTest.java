package com.onecard.pos.terminal.store;

import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.JournalRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal's head outside the database: each way of losing or replacing rows is told apart at
 * start, and a normal restart (also after a power cut, when the anchor may lag) passes.
 */
class JournalAnchorTest {
    static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    @TempDir
    Path dir;

    Path db() {
        return dir.resolve("terminal.db");
    }

    Store open() {
        return Store.open(db(), KEY);
    }

    void sales(Store s, int n) {
        for (int i = 0; i < n; i++) {
            s.append(StoreTest.sale(7, 100, 0));
        }
    }

    @Test
    void aJournalThatReachesItsAnchorPassesAndTheFirstStartMakesTheAnchor() {
        try (Store s = open()) {
            assertThat(s.checkAnchor()).isEmpty();
            sales(s, 3);
        }
        assertThat(dir.resolve("terminal.db.anchor")).exists();
        try (Store s = open()) {
            assertThat(s.checkAnchor()).isEmpty();
        }
    }

    @Test
    void anAnchorBehindTheJournalIsWhatAPowerCutLeavesAndPasses() throws Exception {
        try (Store s = open()) {
            sales(s, 2);
        }
        Path early = dir.resolve("early.anchor");
        Files.copy(dir.resolve("terminal.db.anchor"), early);
        try (Store s = open()) {
            s.checkAnchor();
            sales(s, 3);
        }
        Files.copy(early, dir.resolve("terminal.db.anchor"), StandardCopyOption.REPLACE_EXISTING);
        try (Store s = open()) {
            assertThat(s.checkAnchor()).isEmpty();
        }
    }

    @Test
    void rowsDeletedFromTheEndAreNamed() throws Exception {
        try (Store s = open()) {
            sales(s, 5);
        }
        sql("DELETE FROM journal WHERE seq > 3");
        try (Store s = open()) {
            assertThat(s.checkAnchor()).get().asString().contains("rows 4..5 were deleted from the end");
        }
    }

    @Test
    void rowsDeletedFromTheEndWithTheAnchorRemovedAreStillNamed() throws Exception {
        try (Store s = open()) {
            sales(s, 5);
        }
        sql("DELETE FROM journal WHERE seq > 3");
        Files.delete(dir.resolve("terminal.db.anchor"));
        try (Store s = open()) {
            assertThat(s.checkAnchor()).get().asString().contains("rows 4..5 were deleted from the end")
                    .contains("own head record");
        }
    }

    @Test
    void anOlderCopyOfTheDatabaseRestoredFromABackupIsNamed() throws Exception {
        try (Store s = open()) {
            sales(s, 3);
        }
        Path backup = dir.resolve("backup.db");
        Files.copy(db(), backup);
        try (Store s = open()) {
            s.checkAnchor();
            sales(s, 4);
        }
        Files.copy(backup, db(), StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(dir.resolve("terminal.db-wal"));
        Files.deleteIfExists(dir.resolve("terminal.db-shm"));
        try (Store s = open()) {
            assertThat(s.checkAnchor()).get().asString().contains("older copy").contains("ends at seq 3")
                    .contains("up to seq 7");
        }
    }

    @Test
    void aSwappedDatabaseIsNamedAsAnotherJournal() throws Exception {
        try (Store s = open()) {
            sales(s, 3);
        }
        Path other = dir.resolve("other/terminal.db");
        Files.createDirectories(other.getParent());
        try (Store s = Store.open(other, KEY)) {
            sales(s, 6);
        }
        Files.copy(other, db(), StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(dir.resolve("terminal.db-wal"));
        Files.deleteIfExists(dir.resolve("terminal.db-shm"));
        try (Store s = open()) {
            assertThat(s.checkAnchor()).get().asString().contains("another journal");
        }
    }

    @Test
    void aRowRewrittenAndReChainedWithTheKeyIsCaughtByItsAnchor() throws Exception {
        try (Store s = open()) {
            sales(s, 4);
        }
        // whoever holds the journal key can edit row 2 and re-seal the chain from there: it verifies
        JournalMac mac = new JournalMac(KEY);
        byte[] prev;
        try (Store s = open()) {
            prev = s.row(1).orElseThrow().getMac().toByteArray();
            for (long seq = 2; seq <= 4; seq++) {
                JournalRow r = s.row(seq).orElseThrow();
                JournalRow edited = mac.seal(prev, seq == 2 ? r.toBuilder().setAmountFen(1).setSubsidyFen(1).build() : r);
                update(edited);
                prev = edited.getMac().toByteArray();
            }
        }
        sql("DELETE FROM meta WHERE key='chain_checkpoint'");
        try (Store s = open()) {
            assertThat(s.verifyChain()).as("the re-sealed chain verifies").isEmpty();
            assertThat(s.checkAnchor()).get().asString().contains("journal row 4").contains("is not the row this terminal wrote");
        }
    }

    private void sql(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db())) {
            c.createStatement().executeUpdate(sql);
        }
    }

    private void update(JournalRow r) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
             PreparedStatement ps = c.prepareStatement("UPDATE journal SET amount_fen=?, subsidy_fen=?, prev_mac=?, mac=? WHERE seq=?")) {
            ps.setLong(1, r.getAmountFen());
            ps.setLong(2, r.getSubsidyFen());
            ps.setBytes(3, r.getPrevMac().toByteArray());
            ps.setBytes(4, r.getMac().toByteArray());
            ps.setLong(5, r.getSeq());
            ps.executeUpdate();
        }
    }
}
