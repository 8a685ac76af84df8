package com.onecard.pos.terminal.store;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.journal.HmacJournalSealer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import static com.onecard.pos.terminal.store.StoreTest.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** Rows acknowledged long ago move to monthly archive files; the chain, reports and uploads still see them. */
class RetentionTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final long JULY = ZonedDateTime.of(2026, 7, 15, 12, 0, 0, 0, ZONE).toInstant().toEpochMilli();
    static final long AUGUST = ZonedDateTime.of(2026, 8, 15, 12, 0, 0, 0, ZONE).toInstant().toEpochMilli();
    static final long NOVEMBER = ZonedDateTime.of(2026, 11, 27, 12, 0, 0, 0, ZONE).toInstant().toEpochMilli();
    static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    Store open() {
        return Store.open(dir.resolve("t.db"), new HmacJournalSealer(SECRET), ZONE);
    }

    static JournalRow sale(long timeMs, long amount) {
        return JournalRow.newBuilder().setKind(RowKind.SALE).setSaleId("T01-" + timeMs).setTimeMs(timeMs)
                .setCardUid(ByteString.copyFrom(new byte[]{1, 2, 3, 4})).setAccountId(7).setAmountFen(amount)
                .setCashFen(amount).setMode(AuthMode.OFFLINE).build();
    }

    /** Rows 1-8 in July and 9-12 in August, acknowledged in August; 13-15 acknowledged in November; 16-20 not acknowledged. */
    void fill(Store s) {
        for (int i = 0; i < 8; i++) {
            s.append(sale(JULY + i, 100));
        }
        for (int i = 0; i < 4; i++) {
            s.append(sale(AUGUST + i, 100));
        }
        s.acknowledge(12, AUGUST + DAY);
        for (int i = 0; i < 8; i++) {
            s.append(sale(NOVEMBER + i, 100));
        }
        s.acknowledge(15, NOVEMBER + 1000);
        assertThat(s.verifyFromCheckpoint().ok()).isTrue();
    }

    @Test
    void rowsAcknowledgedBeforeTheCutoffMoveToMonthlyFilesAndStillRead() {
        try (Store s = open()) {
            fill(s);
            long cutoff = NOVEMBER - 90 * DAY;
            assertThat(s.archivableThrough(cutoff)).isEqualTo(12);
            assertThat(s.archive(s.archivableThrough(cutoff), 500)).isEqualTo(12);
            assertThat(s.archivedThrough()).isEqualTo(12);
            assertThat(dir.resolve("archive/journal-2026-07.db")).exists();
            assertThat(dir.resolve("archive/journal-2026-08.db")).exists();
            assertThat(s.tail(100)).extracting(JournalRow::getSeq).containsExactly(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
            long julyStart = ZonedDateTime.of(2026, 7, 1, 0, 0, 0, 0, ZONE).toInstant().toEpochMilli();
            assertThat(s.rowsBetween(julyStart, julyStart + 31 * DAY, 1000)).extracting(JournalRow::getSeq)
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
            assertThat(s.rowsBetween(0, Long.MAX_VALUE, 1000)).hasSize(20);
            assertThat(s.row(3)).hasValueSatisfying(r -> assertThat(r.getTimeMs()).isEqualTo(JULY + 2));
            assertThat(s.archive(s.archivableThrough(cutoff), 500)).as("nothing more is due").isZero();
        }
        try (Store s = open(); OutboxReader r = new OutboxReader(dir.resolve("t.db"))) {
            assertThat(s.lastSeq()).isEqualTo(20);
            assertThat(s.verifyChain()).isEmpty();
            assertThat(s.verifyFromCheckpoint().ok()).isTrue();
            assertThat(r.rowsAfter(10, 5)).extracting(JournalRow::getSeq).containsExactly(11L, 12L, 13L, 14L, 15L);
            assertThat(chainFromGenesis(s)).as("the chain runs through the archives into the store").isEqualTo(20);
        }
    }

    @Test
    void anUnacknowledgedRowIsNeverArchived() {
        try (Store s = open()) {
            fill(s);
            s.archive(20, 500);
            assertThat(s.archivedThrough()).isEqualTo(15);
            assertThat(s.tail(100)).extracting(JournalRow::getSeq).containsExactly(16L, 17L, 18L, 19L, 20L);
            assertThat(s.backlog().count()).isEqualTo(5);
        }
    }

    @Test
    void aStoreWhoseRowsAreAllArchivedGoesOnFromTheBoundary() {
        try (Store s = open()) {
            fill(s);
            s.acknowledge(20, NOVEMBER + 2000);
            s.archive(20, 500);
            assertThat(s.tail(10)).isEmpty();
        }
        try (Store s = open()) {
            assertThat(s.lastSeq()).isEqualTo(20);
            JournalRow next = s.append(sale(NOVEMBER + DAY, 50));
            assertThat(next.getSeq()).isEqualTo(21);
            assertThat(s.verifyChain()).isEmpty();
            assertThat(chainFromGenesis(s)).isEqualTo(21);
        }
    }

    @Test
    void aMoveCutShortIsDoneAgainWithoutDuplicates() throws Exception {
        try (Store s = open()) {
            fill(s);
            s.archive(12, 500);
        }
        // a power cut after the archive files were written, before the store let go of its rows:
        // put rows 1-12 back into the store and the boundary back to the start
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            c.createStatement().execute("ATTACH '" + dir.resolve("archive/journal-2026-07.db") + "' AS a");
            c.createStatement().execute("ATTACH '" + dir.resolve("archive/journal-2026-08.db") + "' AS b");
            c.createStatement().execute("INSERT INTO journal(seq,kind,sale_id,time_ms,card_uid,account_id,amount_fen,subsidy_fen,"
                    + "cash_fen,mode,reverses_seq,qr_token,meal_period,prev_mac,mac) SELECT * FROM a.journal UNION ALL SELECT * FROM b.journal");
            c.createStatement().execute("DELETE FROM meta WHERE key='archived_through'");
        }
        try (Store s = open()) {
            assertThat(s.archivedThrough()).isZero();
            assertThat(s.archive(12, 500)).isEqualTo(12);
            assertThat(s.rowsBetween(0, Long.MAX_VALUE, 1000)).hasSize(20);
            assertThat(chainFromGenesis(s)).isEqualTo(20);
        }
    }

    /** Walks archived rows then the store's, from genesis; returns the last sequence that verified. */
    private static long chainFromGenesis(Store s) {
        var sealer = new HmacJournalSealer(SECRET);
        List<JournalRow> all = new ArrayList<>(s.archivedRows());
        all.addAll(s.tail(Integer.MAX_VALUE / 2));
        byte[] prev = JournalMac.genesis();
        long seq = 0;
        for (JournalRow r : all) {
            if (r.getSeq() != seq + 1 || !sealer.verifies(prev, r)) {
                return seq;
            }
            prev = r.getMac().toByteArray();
            seq = r.getSeq();
        }
        return seq;
    }
}
