package com.onecard.pos.center.ledger;

import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.db.DatabaseConfig;
import com.onecard.pos.center.db.LedgerException;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.sync.proto.UploadError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Group commit of upload batches (Ingest's writer): several terminals' batches in one
 * transaction, each judged on its own, none lost or half-applied because of another.
 */
class IngestGroupIT {
    static final long ACC = 42;
    static final byte[] UID = {1, 2, 3, 4};
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-09-01T12:00:00Z"), ZoneOffset.UTC);

    DatabaseConfig db;
    CenterLedger ledger;

    @BeforeEach
    void open() {
        db = TestPostgres.freshDatabase("ingest_group_test");
        ledger = CenterLedger.open(db, CLOCK);
        ledger.accounts().open(ACC, UID, 1, "Wang Fang", 10_000, 500, "pbkdf2$x", 0);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private static byte[] secret(String terminalId) {
        return String.format("%-32s", "key-" + terminalId).getBytes();
    }

    private FakeOutbox terminal(String id) {
        ledger.terminals().register(id, secret(id));
        return new FakeOutbox(secret(id));
    }

    private static Ingest.Upload upload(String terminalId, List<JournalRow> rows) {
        return new Ingest.Upload(terminalId, rows);
    }

    @Test
    void aRefusedBatchInAGroupWritesNothingAndTheOtherBatchesAreApplied() {
        FakeOutbox a = terminal("T-A");
        FakeOutbox b = terminal("T-B");
        FakeOutbox c = terminal("T-C");
        a.appendSales(3, ACC, UID, 10);
        b.appendSales(3, ACC, UID, 100);
        c.appendSales(3, ACC, UID, 1_000);
        List<JournalRow> forged = new ArrayList<>(b.all());
        forged.set(1, forged.get(1).toBuilder().setAmountFen(1).setSubsidyFen(1).build());

        List<CompletableFuture<IngestResult>> r = ledger.ingest().writeNow(List.of(
                upload("T-A", a.all()), upload("T-B", forged), upload("T-C", c.all())));

        assertThat(r.get(0).join().appliedSeq()).isEqualTo(3);
        assertThat(r.get(1).join().error().getCode()).isEqualTo(UploadError.Code.BAD_MAC);
        assertThat(r.get(2).join().appliedSeq()).isEqualTo(3);
        assertThat(ledger.accounts().purses(ACC)).containsExactly(10_000 - 30 - 3_000, 500);
        assertThat(ledger.terminals().appliedSeq("T-B")).isZero();
        assertThat(ledger.ingest().appliedRows("T-B")).isEmpty();
        assertThat(ledger.ingest().appliedRows("T-A")).isEqualTo(a.all());
        assertThat(ledger.ingest().appliedRows("T-C")).isEqualTo(c.all());

        // The untouched journal of T-B is accepted afterwards, once.
        assertThat(ledger.ingest().ingest("T-B", b.all()).appliedSeq()).isEqualTo(3);
        assertThat(ledger.accounts().purses(ACC)).containsExactly(10_000 - 30 - 300 - 3_000, 500);
    }

    @Test
    void aBatchTheDatabaseRefusesFailsAloneAndTheOthersOfItsGroupAreApplied() throws Exception {
        FakeOutbox a = terminal("T-A");
        FakeOutbox poisoned = terminal("T-POISON");
        FakeOutbox c = terminal("T-C");
        a.appendSales(2, ACC, UID, 10);
        poisoned.appendSales(2, ACC, UID, 100);
        c.appendSales(2, ACC, UID, 1_000);
        // A fault only the database sees: any journal row of T-POISON makes the statement fail.
        sql("""
                CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.terminal_id = 'T-POISON' THEN RAISE EXCEPTION 'poisoned journal row'; END IF;
                  RETURN NEW;
                END $$""",
                "CREATE TRIGGER poison BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION poison()");

        List<CompletableFuture<IngestResult>> r = ledger.ingest().writeNow(List.of(
                upload("T-A", a.all()), upload("T-POISON", poisoned.all()), upload("T-C", c.all())));

        assertThat(r.get(0).join().appliedSeq()).isEqualTo(2);
        assertThat(r.get(2).join().appliedSeq()).isEqualTo(2);
        assertThatThrownBy(() -> r.get(1).join()).hasCauseInstanceOf(LedgerException.class)
                .hasMessageContaining("T-POISON").hasMessageContaining("poisoned journal row");
        assertThat(ledger.terminals().appliedSeq("T-POISON")).isZero();
        assertThat(ledger.accounts().purses(ACC)).containsExactly(10_000 - 20 - 2_000, 500);
        assertThat(ledger.accounts().movements(ACC)).filteredOn(m -> "T-POISON".equals(m.terminalId())).isEmpty();

        // Once the database takes it, the terminal's resend is applied once.
        sql("DROP TRIGGER poison ON journal");
        assertThat(ledger.ingest().ingest("T-POISON", poisoned.all()).appliedSeq()).isEqualTo(2);
        assertThat(ledger.accounts().purses(ACC)).containsExactly(10_000 - 20 - 200 - 2_000, 500);
    }

    @Test
    void batchesOfOneTerminalInOneGroupApplyInOrderAndAResentBatchMovesNothing() {
        FakeOutbox a = terminal("T-A");
        FakeOutbox b = terminal("T-B");
        a.appendSales(4, ACC, UID, 10);
        // seq 5 reverses seq 2, which the same group stores in an earlier batch
        a.append(FakeOutbox.sale(ACC, UID, 10).setSubsidyFen(10).setKind(RowKind.REVERSAL).setReversesSeq(2));
        b.appendSales(2, ACC, UID, 1_000);
        List<JournalRow> rows = a.all();

        List<CompletableFuture<IngestResult>> r = ledger.ingest().writeNow(List.of(
                upload("T-A", rows.subList(0, 3)), upload("T-B", b.all()), upload("T-A", rows),
                upload("T-A", rows), upload("T-B", b.all())));

        assertThat(r).allSatisfy(f -> assertThat(f.join().ok()).isTrue());
        assertThat(r.get(0).join().appliedSeq()).isEqualTo(3);
        assertThat(r.get(2).join().appliedSeq()).isEqualTo(5);
        assertThat(r.get(2).join().refused()).isEmpty();
        assertThat(r.get(3).join().appliedSeq()).isEqualTo(5);
        assertThat(ledger.accounts().purses(ACC)).containsExactly(10_000 - 40 + 10 - 2_000, 500);
        assertThat(ledger.accounts().movements(ACC)).filteredOn(m -> m.terminalId() != null).hasSize(5 + 2);
        assertThat(ledger.ingest().appliedRows("T-A")).isEqualTo(rows);
    }

    @Test
    void manyTerminalsUploadingAtOnceThroughTheWriterAreEachAppliedExactlyOnce() throws Exception {
        int terminals = 12;
        int batches = 6;
        int perBatch = 20;
        List<FakeOutbox> journals = new ArrayList<>();
        for (int t = 0; t < terminals; t++) {
            FakeOutbox o = terminal("T-" + t);
            o.appendSales(batches * perBatch, ACC, UID, 1);
            journals.add(o);
        }
        ExecutorService sessions = Executors.newFixedThreadPool(terminals);
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (int t = 0; t < terminals; t++) {
                String id = "T-" + t;
                List<JournalRow> rows = journals.get(t).all();
                done.add(sessions.submit(() -> {
                    long applied = 0;
                    for (int i = 0; i < batches; i++) {
                        List<JournalRow> batch = rows.subList(i * perBatch, (i + 1) * perBatch);
                        applied = ledger.ingest().ingest(id, batch).appliedSeq();
                        // a resend after a lost ack: a duplicate
                        assertThat(ledger.ingest().ingest(id, batch).appliedSeq()).isEqualTo(applied);
                    }
                    return applied;
                }));
            }
            for (Future<Long> f : done) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo((long) batches * perBatch);
            }
        } finally {
            sessions.shutdownNow();
        }
        long sales = (long) terminals * batches * perBatch;
        assertThat(ledger.accounts().purses(ACC)).containsExactly(10_000 - sales, 500);
        assertThat(ledger.accounts().movements(ACC)).filteredOn(m -> "SALE".equals(m.kind())).hasSize((int) sales);
    }

    @Test
    void oneTerminalsBatchesReachingTwoInstancesAtOnceAreSerializedByTheDatabase() throws Exception {
        FakeOutbox a = terminal("T-A");
        a.appendSales(200, ACC, UID, 1);
        List<JournalRow> rows = a.all();
        ExecutorService sessions = Executors.newFixedThreadPool(2);
        try (CenterLedger other = CenterLedger.open(db, CLOCK)) {
            List<Future<Long>> done = new ArrayList<>();
            for (CenterLedger instance : List.of(ledger, other)) {
                done.add(sessions.submit(() -> {
                    long applied = 0;
                    // a terminal that reconnected to the other instance resends what it has not seen acked
                    for (int i = 1; i <= 20; i++) {
                        applied = instance.ingest().ingest("T-A", rows.subList(Math.max(0, i * 10 - 15), i * 10))
                                .appliedSeq();
                    }
                    return applied;
                }));
            }
            for (Future<Long> f : done) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(200L);
            }
        } finally {
            sessions.shutdownNow();
        }
        assertThat(ledger.accounts().purses(ACC)).containsExactly(10_000 - 200, 500);
        assertThat(ledger.ingest().appliedRows("T-A")).isEqualTo(rows);
    }

    @Test
    void aClockRecordSkipsATerminalWhoseRowAnUploadHoldsInsteadOfWaiting() throws Exception {
        terminal("T-A");
        ExecutorService lane = Executors.newSingleThreadExecutor();
        try (Connection group = ledger.database().connection(); Statement s = group.createStatement()) {
            // what a group being written holds until its commit
            s.executeQuery("SELECT id FROM terminals WHERE id = 'T-A' FOR UPDATE").close();
            Future<Boolean> recorded = lane.submit(() -> ledger.terminals().recordClock("T-A", 1_500, 1_000));
            assertThat(recorded.get(30, TimeUnit.SECONDS)).isFalse();
            group.rollback();
        } finally {
            lane.shutdownNow();
        }
        assertThat(clockOf("T-A")).isNull();
        assertThat(ledger.terminals().recordClock("T-A", 1_500, 2_000)).isTrue();
        assertThat(clockOf("T-A")).isEqualTo(new TerminalRegistry.TerminalClock(1_500, 2_000));
    }

    private TerminalRegistry.TerminalClock clockOf(String id) {
        return ledger.unitOfWork().read("reading a clock", tx -> TerminalRegistry.clock(tx, id));
    }

    @Test
    void aBatchHandedInAfterCloseFailsAndNothingOfItIsApplied() {
        FakeOutbox a = terminal("T-A");
        a.appendSales(1, ACC, UID, 10);
        ledger.ingest().close();
        assertThatThrownBy(() -> ledger.ingest().ingest("T-A", a.all())).isInstanceOf(LedgerException.class)
                .hasMessageContaining("T-A").hasMessageContaining("stopping");
        assertThat(ledger.terminals().appliedSeq("T-A")).isZero();
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = ledger.database().connection(); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
            c.commit();
        }
    }
}
