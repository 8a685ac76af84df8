package com.onecard.pos.terminal.store;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.BlacklistEntry;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreTest {
    static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    static final byte[] UID = HexFormat.of().parseHex("901F2AA4");

    @TempDir
    Path dir;

    private Store open() {
        return Store.open(dir.resolve("t.db"), SECRET);
    }

    static JournalRow sale(long account, long subsidy, long cash) {
        return JournalRow.newBuilder().setKind(RowKind.SALE).setSaleId("S").setTimeMs(1000)
                .setCardUid(ByteString.copyFrom(UID)).setAccountId(account).setAmountFen(subsidy + cash)
                .setSubsidyFen(subsidy).setCashFen(cash).setMode(AuthMode.OFFLINE).build();
    }

    static AccountUpdate account(long id, long subsidy, long cash, long version, long appliedSeq) {
        return AccountUpdate.newBuilder().setAccountId(id).setCardUid(ByteString.copyFrom(UID)).setCardSerial(1)
                .setHolderName("Li Lei").setStatus(AccountStatus.ACTIVE).setSubsidyFen(subsidy).setCashFen(cash)
                .setVersion(version).setAppliedSeq(appliedSeq).build();
    }

    @Test
    void theWriterRunsWalWithSynchronousFull() {
        try (Store s = open()) {
            assertThat(s.pragmaValue("journal_mode")).isEqualToIgnoringCase("wal");
            assertThat(s.pragmaValue("synchronous")).as("2 = FULL: every commit fsyncs the WAL").isEqualTo("2");
        }
    }

    @Test
    void appendAssignsSequenceAndChainVerifies() {
        try (Store s = open()) {
            JournalRow a = s.append(sale(7, 100, 0));
            JournalRow b = s.append(sale(7, 0, 250));
            assertThat(a.getSeq()).isEqualTo(1);
            assertThat(b.getSeq()).isEqualTo(2);
            assertThat(b.getPrevMac()).isEqualTo(a.getMac());
            assertThat(s.verifyChain()).isEmpty();
        }
    }

    @Test
    void journalSurvivesReopenAndContinuesTheChain() {
        try (Store s = open()) {
            s.append(sale(7, 100, 0));
        }
        try (Store s = open()) {
            assertThat(s.lastSeq()).isEqualTo(1);
            assertThat(s.append(sale(7, 1, 0)).getSeq()).isEqualTo(2);
            assertThat(s.verifyChain()).isEmpty();
        }
    }

    @Test
    void editedRowIsDetected() throws Exception {
        try (Store s = open()) {
            s.append(sale(7, 100, 0));
            s.append(sale(7, 200, 0));
            s.append(sale(7, 300, 0));
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            c.createStatement().executeUpdate("UPDATE journal SET amount_fen=1, subsidy_fen=1 WHERE seq=2");
        }
        try (Store s = open()) {
            assertThat(s.verifyChain()).hasValueSatisfying(m -> assertThat(m).contains("row 2"));
        }
    }

    @Test
    void removedRowIsDetected() throws Exception {
        try (Store s = open()) {
            s.append(sale(7, 100, 0));
            s.append(sale(7, 200, 0));
            s.append(sale(7, 300, 0));
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            c.createStatement().executeUpdate("DELETE FROM journal WHERE seq=2");
        }
        try (Store s = open()) {
            assertThat(s.verifyChain()).hasValueSatisfying(m -> assertThat(m).contains("row 2 is missing"));
        }
    }

    @Test
    void overlayCountsOnlyRowsAfterTheCentersWatermark() {
        try (Store s = open()) {
            s.accounts().applyAccount(account(7, 1000, 2000, 1, 0), 1);
            s.append(sale(7, 100, 0));
            s.append(sale(7, 50, 25));
            assertThat(s.overlay(7, 0)).isEqualTo(new Purses(150, 25));
            assertThat(s.overlay(7, 1)).isEqualTo(new Purses(50, 25));
            assertThat(s.overlay(7, 2)).isEqualTo(Purses.ZERO);
        }
    }

    @Test
    void reversalCancelsItsSaleInTheOverlay() {
        try (Store s = open()) {
            JournalRow sold = s.append(sale(7, 100, 20));
            s.append(sold.toBuilder().setKind(RowKind.REVERSAL).setReversesSeq(sold.getSeq()).clearMac().clearPrevMac().build());
            assertThat(s.overlay(7, 0)).isEqualTo(Purses.ZERO);
        }
    }

    @Test
    void olderAccountVersionDoesNotOverwriteNewer() {
        try (Store s = open()) {
            s.accounts().applyAccount(account(7, 1000, 0, 5, 0), 1);
            s.accounts().applyAccount(account(7, 9999, 0, 4, 0), 2);
            assertThat(s.accounts().accountById(7)).hasValueSatisfying(a -> assertThat(a.subsidyFen()).isEqualTo(1000));
            assertThat(s.accounts().cursors()).containsEntry("accounts", 2L);
        }
    }

    @Test
    void acknowledgeMovesBacklog() {
        try (Store s = open()) {
            s.append(sale(7, 100, 0));
            s.append(sale(7, 200, 0));
            s.append(sale(7, 300, 0));
            assertThat(s.backlog().count()).isEqualTo(3);
            assertThat(s.backlog().sumFen()).isEqualTo(600);
            s.acknowledge(2, 1000);
            assertThat(s.backlog().count()).isEqualTo(1);
            assertThat(s.backlog().sumFen()).isEqualTo(300);
            s.acknowledge(1, 1000);
            assertThat(s.ackedSeq()).isEqualTo(2);
        }
        try (Store s = open()) {
            assertThat(s.ackedSeq()).isEqualTo(2);
        }
    }

    @Test
    void blacklistEntryAndUnlisting() {
        try (Store s = open()) {
            s.accounts().applyBlacklist(BlacklistEntry.newBuilder().setCardUid(ByteString.copyFrom(UID)).setAccountId(7).setListed(true).build(), 1);
            assertThat(s.accounts().blacklisted(UID)).isTrue();
            s.accounts().applyBlacklist(BlacklistEntry.newBuilder().setCardUid(ByteString.copyFrom(UID)).setAccountId(7).setListed(false).build(), 2);
            assertThat(s.accounts().blacklisted(UID)).isFalse();
        }
    }

    @Test
    void schemaFromTheFutureIsRefusedAndLeftAlone() throws Exception {
        try (Store s = open()) {
            s.append(sale(7, 100, 0));
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            c.createStatement().execute("PRAGMA user_version=99");
        }
        assertThatThrownBy(this::open).isInstanceOf(StoreException.class).hasMessageContaining("newer");
    }

    @Test
    void fullDiskRefusesTheWriteAndKeepsEverythingBefore() {
        try (Store s = open()) {
            for (int i = 0; i < 20; i++) {
                s.append(sale(7, 100, 0));
            }
            s.pragma("max_page_count=" + s.pageCount());
            assertThatThrownBy(() -> {
                for (int i = 0; i < 10_000; i++) {
                    s.append(sale(7, 1, 0));
                }
            }).isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).kind()).as(e.getMessage()).isEqualTo(StoreException.Kind.DISK_FULL));
            long last = s.lastSeq();
            assertThat(s.verifyChain()).isEmpty();
            assertThat(s.tail(1).get(0).getSeq()).isEqualTo(last);
        }
        try (Store s = open()) {
            assertThat(s.verifyChain()).isEmpty();
            assertThat(s.lastSeq()).isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void readOnlyDatabaseRefusesWritesWithAClearKind() {
        try (Store s = open()) {
            s.append(sale(7, 100, 0));
            s.pragma("query_only=1");
            assertThatThrownBy(() -> s.append(sale(7, 1, 0))).isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.READ_ONLY));
            assertThat(s.lastSeq()).isEqualTo(1);
        }
    }

    @Test
    void outboxReaderSeesCommittedRowsInOrder() {
        try (Store s = open(); OutboxReader r = new OutboxReader(dir.resolve("t.db"))) {
            for (int i = 0; i < 5; i++) {
                s.append(sale(7, 10 + i, 0));
            }
            var rows = r.rowsAfter(2, 10);
            assertThat(rows).extracting(JournalRow::getSeq).containsExactly(3L, 4L, 5L);
            assertThat(r.rowsAfter(0, 2)).hasSize(2);
        }
    }

    @Test
    void migrationFromV1TakesABackupFirstAndKeepsEveryRow() throws Exception {
        try (Store s = open()) {
            s.append(sale(7, 100, 0));
            s.append(sale(7, 200, 0));
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            // back to the v1 layout: undo v5, v4, v3 and v2
            for (String sql : new String[]{"ALTER TABLE accounts DROP COLUMN card_v1_ticket", "DROP TABLE paycode_issuers", "DROP TABLE paycode_revoked",
                    "DROP TABLE paycode_seen", "DROP TABLE holder_photos", "DROP TABLE audit", "DROP INDEX journal_account_time", "DROP INDEX journal_reverses",
                    "DROP INDEX declines_time", "DROP TABLE acks", "CREATE INDEX journal_state ON journal(state, seq)",
                    "DROP INDEX journal_qr_token", "PRAGMA user_version=1"}) {
                c.createStatement().execute(sql);
            }
        }
        try (Store s = open()) {
            assertThat(s.lastSeq()).isEqualTo(2);
            assertThat(s.verifyChain()).isEmpty();
        }
        try (var files = java.nio.file.Files.list(dir)) {
            var backups = files.filter(p -> p.getFileName().toString().contains(".v1-")).toList();
            assertThat(backups).hasSize(1);
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + backups.get(0));
                 var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM journal")) {
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }
}
