package com.onecard.pos.center.ledger;

import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.UploadError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A terminal whose journal is not the one the center applied (restored from its .bak, SD card
 * replaced, re-provisioned) is detected by MAC, quarantined, and after a re-seat brought back
 * with nothing lost and nothing doubled.
 */
class DivergenceIT {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static final AtomicInteger N = new AtomicInteger();
    static CenterLedger ledger;

    String t;
    long acc;
    byte[] uid;

    @BeforeAll
    static void open() {
        ledger = CenterLedger.open(TestPostgres.freshDatabase("divergence"), Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        ledger.close();
    }

    @BeforeEach
    void terminal() {
        int n = N.incrementAndGet();
        t = "T-D" + n;
        acc = 500 + n;
        uid = new byte[] {9, 9, (byte) n, 1};
        ledger.terminals().register(t, SECRET);
        ledger.accounts().open(acc, uid, 1, "Chen Jing", 100_000, 0, "", 0);
    }

    long total() {
        long[] p = ledger.accounts().purses(acc);
        return p[0] + p[1];
    }

    /** The journal as it stood at the backup (rows 1..3), then as it went on before the restore (4..6). */
    @Test
    void aJournalRestoredFromItsBackupIsQuarantinedThenReseatedWithNothingLostNorDoubled() {
        FakeOutbox before = new FakeOutbox(SECRET);
        before.appendSales(3, acc, uid, 100);
        FakeOutbox restored = copy(before);
        before.appendSales(3, acc, uid, 100);
        assertThat(ledger.ingest().ingest(t, before.all()).appliedSeq()).isEqualTo(6);
        assertThat(total()).isEqualTo(100_000 - 600);

        // The restored terminal sells on from seq 4 with other rows, and resends from its last ack (3).
        restored.appendSales(4, acc, uid, 10);
        IngestResult r = ledger.ingest().ingest(t, restored.all().subList(2, 7));
        assertThat(r.ok()).isFalse();
        assertThat(r.error().getCode()).isEqualTo(UploadError.Code.JOURNAL_DIVERGED);
        assertThat(r.error().getOffendingSeq()).isEqualTo(4);
        assertThat(r.error().getMessage()).contains("seq 4");
        assertThat(ledger.terminals().info(t).quarantined()).isTrue();
        assertThat(ledger.flags().list(t, 10)).extracting(Flags.Flag::code).containsExactly("JOURNAL_DIVERGED");
        // Quarantined: no upload applies, not even a well-chained one, until the re-seat.
        assertThat(ledger.ingest().ingest(t, before.all()).error().getCode()).isEqualTo(UploadError.Code.JOURNAL_DIVERGED);
        assertThat(total()).isEqualTo(100_000 - 600);

        int epoch = ledger.terminals().reseat(t);
        assertThat(epoch).isEqualTo(2);
        assertThat(ledger.terminals().info(t).quarantined()).isFalse();
        assertThat(ledger.terminals().appliedSeq(t)).isZero();

        IngestResult again = ledger.ingest().ingest(t, restored.all());
        assertThat(again.ok()).as("%s", again.error()).isTrue();
        assertThat(again.appliedSeq()).isEqualTo(7);
        // rows 1..3 were applied in epoch 1 (same MACs): not again; 4..6 of epoch 1 stay; 4 new rows of 10 fen.
        assertThat(total()).isEqualTo(100_000 - 600 - 40);
        assertThat(ledger.ingest().appliedRows(t)).isEqualTo(restored.all());
        assertThat(ledger.accounts().movements(acc)).filteredOn(m -> m.kind().equals("SALE")).hasSize(6 + 4);
    }

    @Test
    void aResentRowWithAnotherMacIsDivergedNotSkipped() {
        FakeOutbox journal = new FakeOutbox(SECRET);
        journal.appendSales(2, acc, uid, 100);
        ledger.ingest().ingest(t, journal.all());
        FakeOutbox other = new FakeOutbox(SECRET);
        other.appendSales(2, acc, uid, 250);
        IngestResult r = ledger.ingest().ingest(t, other.all());
        assertThat(r.error().getCode()).isEqualTo(UploadError.Code.JOURNAL_DIVERGED);
        assertThat(r.error().getOffendingSeq()).isEqualTo(1);
        assertThat(total()).isEqualTo(100_000 - 200);
    }

    @Test
    void aNextRowChainedToAnotherHistoryIsDivergedNotABadMac() {
        FakeOutbox applied = new FakeOutbox(SECRET);
        applied.appendSales(3, acc, uid, 100);
        ledger.ingest().ingest(t, applied.all());
        FakeOutbox other = new FakeOutbox(SECRET);
        other.appendSales(4, acc, uid, 70);
        IngestResult r = ledger.ingest().ingest(t, other.all().subList(3, 4));
        assertThat(r.error().getCode()).isEqualTo(UploadError.Code.JOURNAL_DIVERGED);
        assertThat(r.error().getOffendingSeq()).isEqualTo(4);
        assertThat(ledger.terminals().info(t).quarantinedSeq()).isEqualTo(4);
    }

    @Test
    void duplicatesWithTheSameMacAreStillIgnored() {
        FakeOutbox journal = new FakeOutbox(SECRET);
        journal.appendSales(3, acc, uid, 100);
        ledger.ingest().ingest(t, journal.all());
        assertThat(ledger.ingest().ingest(t, journal.all()).ok()).isTrue();
        assertThat(ledger.terminals().info(t).quarantined()).isFalse();
        assertThat(total()).isEqualTo(100_000 - 300);
    }

    private static FakeOutbox copy(FakeOutbox from) {
        FakeOutbox c = new FakeOutbox(SECRET);
        List<JournalRow> rows = new ArrayList<>(from.all());
        for (JournalRow r : rows) {
            c.append(r.toBuilder().clearMac().clearPrevMac());
        }
        return c;
    }
}
