package com.onecard.pos.center.ledger;

import com.google.protobuf.ByteString;
import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.db.DatabaseConfig;
import com.onecard.pos.center.testing.Await;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.center.testing.RecordingSubscriber;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.sync.proto.UploadError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerIT {
    static final String T = "T-1";
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static final long ACC = 42;
    static final byte[] UID = {1, 2, 3, 4};

    static final Duration DEADLINE = Duration.ofSeconds(10);
    DatabaseConfig db;
    CenterLedger ledger;
    FakeOutbox journal;

    @BeforeEach
    void open() {
        db = TestPostgres.freshDatabase("ledger_test");
        ledger = CenterLedger.open(db, Clock.fixed(Instant.parse("2026-09-01T12:00:00Z"), ZoneOffset.UTC)).startFeed();
        ledger.terminals().register(T, SECRET);
        ledger.accounts().open(ACC, UID, 1, "Wang Fang", 1_000, 500, "pbkdf2$x", 0);
        journal = new FakeOutbox(SECRET);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private static JournalRow.Builder sale(long subsidy, long cash) {
        return FakeOutbox.sale(ACC, UID, subsidy + cash).setSubsidyFen(subsidy).setCashFen(cash);
    }

    @Test
    void reIngestIsIdempotent() {
        journal.appendSales(5, ACC, UID, 10);
        List<JournalRow> rows = journal.all();
        assertThat(ledger.ingest().ingest(T, rows.subList(0, 3)).appliedSeq()).isEqualTo(3);
        IngestResult again = ledger.ingest().ingest(T, rows);
        assertThat(again.ok()).isTrue();
        assertThat(again.appliedSeq()).isEqualTo(5);
        assertThat(ledger.ingest().ingest(T, rows).appliedSeq()).isEqualTo(5);
        assertThat(ledger.ingest().appliedRows(T)).isEqualTo(rows);
        assertThat(ledger.accounts().purses(ACC)).containsExactly(950, 500);
    }

    @Test
    void gapIsRejectedAndNothingOfTheBatchApplies() {
        journal.appendSales(5, ACC, UID, 10);
        List<JournalRow> rows = journal.all();
        IngestResult r = ledger.ingest().ingest(T, List.of(rows.get(0), rows.get(1), rows.get(3)));
        assertThat(r.ok()).isFalse();
        assertThat(r.error().getCode()).isEqualTo(UploadError.Code.GAP);
        assertThat(r.error().getExpectedSeq()).isEqualTo(3);
        assertThat(r.error().getOffendingSeq()).isEqualTo(4);
        assertThat(ledger.terminals().appliedSeq(T)).isZero();
        assertThat(ledger.ingest().appliedRows(T)).isEmpty();
        assertThat(ledger.accounts().purses(ACC)).containsExactly(1_000, 500);
    }

    @Test
    void editedRowFailsTheMacChain() {
        journal.appendSales(3, ACC, UID, 10);
        List<JournalRow> rows = new ArrayList<>(journal.all());
        rows.set(1, rows.get(1).toBuilder().setAmountFen(1).setSubsidyFen(1).build());
        IngestResult r = ledger.ingest().ingest(T, rows);
        assertThat(r.error().getCode()).isEqualTo(UploadError.Code.BAD_MAC);
        assertThat(r.error().getOffendingSeq()).isEqualTo(2);
        assertThat(ledger.terminals().appliedSeq(T)).isZero();
        // The untouched journal is still accepted afterwards.
        assertThat(ledger.ingest().ingest(T, journal.all()).appliedSeq()).isEqualTo(3);
    }

    @Test
    void rowFromAnotherTerminalsKeyIsBadMac() {
        FakeOutbox other = new FakeOutbox("another-key-another-key-32bytes!".getBytes());
        other.appendSales(1, ACC, UID, 10);
        assertThat(ledger.ingest().ingest(T, other.all()).error().getCode()).isEqualTo(UploadError.Code.BAD_MAC);
    }

    @Test
    void offlineOverdraftIsAcceptedAndFlagged() {
        journal.append(sale(1_000, 800));
        assertThat(ledger.ingest().ingest(T, journal.all()).ok()).isTrue();
        assertThat(ledger.accounts().purses(ACC)).containsExactly(0, -300);
        Movement m = ledger.accounts().movements(ACC).get(1);
        assertThat(m.kind()).isEqualTo("SALE");
        assertThat(m.overdraft()).isTrue();
        assertThat(m.seq()).isEqualTo(1);
    }

    @Test
    void reversalCreditsBackAndBalancesAreConserved() {
        ledger.accounts().topUp(ACC, 2_000, "wechat");
        journal.append(sale(300, 200));
        journal.append(sale(0, 700));
        journal.append(sale(300, 200).setKind(RowKind.REVERSAL).setReversesSeq(1));
        assertThat(ledger.ingest().ingest(T, journal.all()).ok()).isTrue();
        long[] p = ledger.accounts().purses(ACC);
        assertThat(p).containsExactly(1_000, 500 + 2_000 - 700);
        long moved = ledger.accounts().movements(ACC).stream().mapToLong(x -> x.subsidyFen() + x.cashFen()).sum();
        assertThat(p[0] + p[1]).isEqualTo(moved).isEqualTo(1_500 + 2_000 - 1_200 + 500);
    }

    @Test
    void lostCardSightingMessagesTheOwnerAndQrSaleIsInformational() {
        journal.append(JournalRow.newBuilder().setKind(RowKind.LOST_CARD_SIGHTING).setCardUid(ByteString.copyFrom(UID))
                .setTimeMs(Instant.parse("2026-09-01T11:45:00Z").toEpochMilli()));
        journal.append(JournalRow.newBuilder().setKind(RowKind.QR_SALE).setAccountId(ACC).setAmountFen(900)
                .setQrToken("qr-1"));
        assertThat(ledger.ingest().ingest(T, journal.all()).appliedSeq()).isEqualTo(2);
        assertThat(ledger.messages().messages(ACC)).containsExactly("your card was seen at T-1, 2026-09-01T11:45:00Z");
        assertThat(ledger.accounts().purses(ACC)).containsExactly(1_000, 500);
    }

    @Test
    void lostListsTheCardAndFoundUnlistsIt() {
        RecordingSubscriber sub = RecordingSubscriber.subscribe(ledger, T, java.util.Map.of());
        sub.clear();
        ledger.accounts().setStatus(ACC, AccountStatus.LOST);
        Await.until(DEADLINE, () -> sub.pushed().stream().anyMatch(d -> d.hasBlacklist() && d.getBlacklist().getListed()),
                () -> "" + sub.pushed());
        assertThat(ledger.authorization().authorize(T, auth(1)).getReason()).isEqualTo("LOST");
        ledger.accounts().setStatus(ACC, AccountStatus.ACTIVE);
        Await.until(DEADLINE, () -> sub.pushed().stream().anyMatch(d -> d.hasBlacklist() && !d.getBlacklist().getListed()),
                () -> "" + sub.pushed());
        assertThat(ledger.authorization().authorize(T, auth(1)).getApproved()).isTrue();
        long[] versions = sub.pushed().stream().filter(d -> d.getStream().equals(Streams.BLACKLIST))
                .mapToLong(Downstream::getVersion).toArray();
        assertThat(versions).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void replayFromCursorSendsOnlyNewerAccountsWithTheWatermark() {
        ledger.accounts().open(43, new byte[] {9, 9}, 1, "Zhao Lei", 0, 0, "", 0);
        journal.appendSales(2, ACC, UID, 10);
        ledger.ingest().ingest(T, journal.all());
        List<Downstream> all = RecordingSubscriber.replayed(ledger, T, java.util.Map.of());
        assertThat(all).extracting(d -> d.getAccount().getAccountId()).containsExactly(43L, ACC);
        assertThat(all.get(1).getAccount().getAppliedSeq()).isEqualTo(2);

        List<Downstream> newer = RecordingSubscriber.replayed(ledger, T,
                java.util.Map.of(Streams.ACCOUNTS, all.get(0).getVersion()));
        assertThat(newer).extracting(d -> d.getAccount().getAccountId()).containsExactly(ACC);
    }

    @Test
    void authDeclinesWithReasonCodes() {
        assertThat(ledger.authorization().authorize(T, auth(1_500)).getApproved()).isTrue();
        assertThat(ledger.authorization().authorize(T, auth(1_501)).getReason()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(ledger.authorization().authorize(T, AuthRequest.newBuilder().setCardUid(ByteString.copyFrom(new byte[] {7}))
                .setAmountFen(1).build()).getReason()).isEqualTo("UNKNOWN_CARD");
        ledger.accounts().setStatus(ACC, AccountStatus.FROZEN);
        assertThat(ledger.authorization().authorize(T, auth(1)).getReason()).isEqualTo("FROZEN");
    }

    @Test
    void watermarkSurvivesReopen() {
        journal.appendSales(3, ACC, UID, 10);
        ledger.ingest().ingest(T, journal.all());
        ledger.close();
        ledger = CenterLedger.open(db, Clock.systemUTC());
        assertThat(ledger.terminals().appliedSeq(T)).isEqualTo(3);
        journal.appendSales(1, ACC, UID, 10);
        assertThat(ledger.ingest().ingest(T, journal.all()).appliedSeq()).isEqualTo(4);
    }

    private static AuthRequest auth(long fen) {
        return AuthRequest.newBuilder().setSaleId("s-" + fen).setCardUid(ByteString.copyFrom(UID)).setAmountFen(fen).build();
    }
}
