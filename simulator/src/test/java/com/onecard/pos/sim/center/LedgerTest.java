package com.onecard.pos.sim.center;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.sync.proto.UploadError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerTest {
    static final String T = "T-1";
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static final long ACC = 42;
    static final byte[] UID = {1, 2, 3, 4};

    @TempDir
    Path dir;
    Ledger ledger;
    FakeOutbox journal;

    @BeforeEach
    void open() {
        ledger = Ledger.open(dir.resolve("ledger.db"), Clock.fixed(Instant.parse("2026-09-01T12:00:00Z"), ZoneOffset.UTC));
        ledger.registerTerminal(T, SECRET);
        ledger.openAccount(ACC, UID, 1, "Wang Fang", 1_000, 500, "pbkdf2$x", 0);
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
        assertThat(ledger.ingest(T, rows.subList(0, 3)).appliedSeq()).isEqualTo(3);
        IngestResult again = ledger.ingest(T, rows);
        assertThat(again.ok()).isTrue();
        assertThat(again.appliedSeq()).isEqualTo(5);
        assertThat(ledger.ingest(T, rows).appliedSeq()).isEqualTo(5);
        assertThat(ledger.appliedRows(T)).isEqualTo(rows);
        assertThat(ledger.purses(ACC)).containsExactly(950, 500);
    }

    @Test
    void gapIsRejectedAndNothingOfTheBatchApplies() {
        journal.appendSales(5, ACC, UID, 10);
        List<JournalRow> rows = journal.all();
        IngestResult r = ledger.ingest(T, List.of(rows.get(0), rows.get(1), rows.get(3)));
        assertThat(r.ok()).isFalse();
        assertThat(r.error().getCode()).isEqualTo(UploadError.Code.GAP);
        assertThat(r.error().getExpectedSeq()).isEqualTo(3);
        assertThat(r.error().getOffendingSeq()).isEqualTo(4);
        assertThat(ledger.appliedSeq(T)).isZero();
        assertThat(ledger.appliedRows(T)).isEmpty();
        assertThat(ledger.purses(ACC)).containsExactly(1_000, 500);
    }

    @Test
    void editedRowFailsTheMacChain() {
        journal.appendSales(3, ACC, UID, 10);
        List<JournalRow> rows = new ArrayList<>(journal.all());
        rows.set(1, rows.get(1).toBuilder().setAmountFen(1).setSubsidyFen(1).build());
        IngestResult r = ledger.ingest(T, rows);
        assertThat(r.error().getCode()).isEqualTo(UploadError.Code.BAD_MAC);
        assertThat(r.error().getOffendingSeq()).isEqualTo(2);
        assertThat(ledger.appliedSeq(T)).isZero();
        // The untouched journal is still accepted afterwards.
        assertThat(ledger.ingest(T, journal.all()).appliedSeq()).isEqualTo(3);
    }

    @Test
    void rowFromAnotherTerminalsKeyIsBadMac() {
        FakeOutbox other = new FakeOutbox("another-key-another-key-32bytes!".getBytes());
        other.appendSales(1, ACC, UID, 10);
        assertThat(ledger.ingest(T, other.all()).error().getCode()).isEqualTo(UploadError.Code.BAD_MAC);
    }

    @Test
    void offlineOverdraftIsAcceptedAndFlagged() {
        journal.append(sale(1_000, 800));
        assertThat(ledger.ingest(T, journal.all()).ok()).isTrue();
        assertThat(ledger.purses(ACC)).containsExactly(0, -300);
        Movement m = ledger.movements(ACC).get(1);
        assertThat(m.kind()).isEqualTo("SALE");
        assertThat(m.overdraft()).isTrue();
        assertThat(m.seq()).isEqualTo(1);
    }

    @Test
    void reversalCreditsBackAndBalancesAreConserved() {
        ledger.topUp(ACC, 2_000, "wechat");
        journal.append(sale(300, 200));
        journal.append(sale(0, 700));
        journal.append(sale(300, 200).setKind(RowKind.REVERSAL).setReversesSeq(1));
        assertThat(ledger.ingest(T, journal.all()).ok()).isTrue();
        long[] p = ledger.purses(ACC);
        assertThat(p).containsExactly(1_000, 500 + 2_000 - 700);
        long moved = ledger.movements(ACC).stream().mapToLong(x -> x.subsidyFen() + x.cashFen()).sum();
        assertThat(p[0] + p[1]).isEqualTo(moved).isEqualTo(1_500 + 2_000 - 1_200 + 500);
    }

    @Test
    void lostCardSightingMessagesTheOwnerAndQrSaleIsInformational() {
        journal.append(JournalRow.newBuilder().setKind(RowKind.LOST_CARD_SIGHTING).setCardUid(ByteString.copyFrom(UID))
                .setTimeMs(Instant.parse("2026-09-01T11:45:00Z").toEpochMilli()));
        journal.append(JournalRow.newBuilder().setKind(RowKind.QR_SALE).setAccountId(ACC).setAmountFen(900)
                .setQrToken("qr-1"));
        assertThat(ledger.ingest(T, journal.all()).appliedSeq()).isEqualTo(2);
        assertThat(ledger.messages(ACC)).containsExactly("your card was seen at T-1, 2026-09-01T11:45:00Z");
        assertThat(ledger.purses(ACC)).containsExactly(1_000, 500);
    }

    @Test
    void lostListsTheCardAndFoundUnlistsIt() {
        List<Downstream> pushed = new ArrayList<>();
        ledger.subscribe(subscriber(pushed), java.util.Map.of());
        pushed.clear();
        ledger.setStatus(ACC, AccountStatus.LOST);
        assertThat(pushed).anyMatch(d -> d.hasBlacklist() && d.getBlacklist().getListed());
        assertThat(ledger.authorize(T, auth(1)).getReason()).isEqualTo("LOST");
        ledger.setStatus(ACC, AccountStatus.ACTIVE);
        assertThat(pushed).anyMatch(d -> d.hasBlacklist() && !d.getBlacklist().getListed());
        assertThat(ledger.authorize(T, auth(1)).getApproved()).isTrue();
        long[] versions = pushed.stream().filter(d -> d.getStream().equals(Ledger.BLACKLIST))
                .mapToLong(Downstream::getVersion).toArray();
        assertThat(versions).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void replayFromCursorSendsOnlyNewerAccountsWithTheWatermark() {
        ledger.openAccount(43, new byte[] {9, 9}, 1, "Zhao Lei", 0, 0, "", 0);
        journal.appendSales(2, ACC, UID, 10);
        ledger.ingest(T, journal.all());
        List<Downstream> all = new ArrayList<>();
        ledger.subscribe(subscriber(all), java.util.Map.of());
        assertThat(all).extracting(d -> d.getAccount().getAccountId()).containsExactly(43L, ACC);
        assertThat(all.get(1).getAccount().getAppliedSeq()).isEqualTo(2);

        List<Downstream> newer = new ArrayList<>();
        ledger.subscribe(subscriber(newer), java.util.Map.of(Ledger.ACCOUNTS, all.get(0).getVersion()));
        assertThat(newer).extracting(d -> d.getAccount().getAccountId()).containsExactly(ACC);
    }

    @Test
    void authDeclinesWithReasonCodes() {
        assertThat(ledger.authorize(T, auth(1_500)).getApproved()).isTrue();
        assertThat(ledger.authorize(T, auth(1_501)).getReason()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(ledger.authorize(T, AuthRequest.newBuilder().setCardUid(ByteString.copyFrom(new byte[] {7}))
                .setAmountFen(1).build()).getReason()).isEqualTo("UNKNOWN_CARD");
        ledger.setStatus(ACC, AccountStatus.FROZEN);
        assertThat(ledger.authorize(T, auth(1)).getReason()).isEqualTo("FROZEN");
    }

    @Test
    void watermarkSurvivesReopen() {
        journal.appendSales(3, ACC, UID, 10);
        ledger.ingest(T, journal.all());
        ledger.close();
        ledger = Ledger.open(dir.resolve("ledger.db"));
        assertThat(ledger.appliedSeq(T)).isEqualTo(3);
        journal.appendSales(1, ACC, UID, 10);
        assertThat(ledger.ingest(T, journal.all()).appliedSeq()).isEqualTo(4);
    }

    private static AuthRequest auth(long fen) {
        return AuthRequest.newBuilder().setSaleId("s").setCardUid(ByteString.copyFrom(UID)).setAmountFen(fen).build();
    }

    private static TerminalSubscriber subscriber(List<Downstream> sink) {
        return new TerminalSubscriber() {
            @Override
            public String terminalId() {
                return T;
            }

            @Override
            public void push(Downstream change) {
                sink.add(change);
            }
        };
    }
}
