package com.onecard.pos.center.ledger;

import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.qr.CampusQrRequest;
import com.onecard.pos.sync.keys.TerminalKeySchedule;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RefusedRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.sync.proto.RowRefusal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forged reversals of every kind are stored, acknowledged, reported and flagged, and credit
 * nothing; a row of a kind the center does not know is stored raw with its MAC and never stalls
 * the uploads after it.
 */
class RefusedRowsIT {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static final long T0 = 1_700_000_000_000L;
    static final AtomicInteger N = new AtomicInteger();
    static CenterLedger ledger;

    String t;
    long acc;
    long other;
    byte[] uid;
    FakeOutbox journal;

    @BeforeAll
    static void open() {
        ledger = CenterLedger.open(TestPostgres.freshDatabase("refused_rows"), Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        ledger.close();
    }

    @BeforeEach
    void terminalAndAccounts() {
        int n = N.incrementAndGet();
        t = "T-R" + n;
        acc = 100 * n;
        other = 100 * n + 1;
        uid = new byte[] {7, 7, (byte) n, 1};
        ledger.terminals().register(t, SECRET);
        ledger.accounts().open(acc, uid, 1, "Zhang Wei", 5_000, 5_000, "", 0);
        ledger.accounts().open(other, new byte[] {7, 7, (byte) n, 2}, 1, "Li Na", 5_000, 5_000, "", 0);
        journal = new FakeOutbox(SECRET);
    }

    JournalRow sale(long account, long subsidy, long cash) {
        return journal.append(FakeOutbox.sale(account, uid, subsidy + cash).setSubsidyFen(subsidy).setCashFen(cash)
                .setTimeMs(T0));
    }

    JournalRow reversal(JournalRow of, long account, long subsidy, long cash, long timeMs) {
        return journal.append(JournalRow.newBuilder().setKind(RowKind.REVERSAL).setSaleId(of.getSaleId() + "-R")
                .setTimeMs(timeMs).setCardUid(of.getCardUid()).setAccountId(account).setAmountFen(subsidy + cash)
                .setSubsidyFen(subsidy).setCashFen(cash).setReversesSeq(of.getSeq()));
    }

    long total(long account) {
        long[] p = ledger.accounts().purses(account);
        return p[0] + p[1];
    }

    IngestResult upload() {
        IngestResult r = ledger.ingest().ingest(t, journal.all());
        assertThat(r.ok()).as("%s", r.error()).isTrue();
        assertThat(r.appliedSeq()).as("every row acknowledged").isEqualTo(journal.all().size());
        return r;
    }

    @Test
    void aValidReversalCreditsTheSaleBackOnce() {
        JournalRow s = sale(acc, 300, 200);
        reversal(s, acc, 300, 200, T0 + 60_000);
        IngestResult r = upload();
        assertThat(r.refused()).isEmpty();
        assertThat(total(acc)).isEqualTo(10_000);
    }

    @Test
    void forgedReversalsOfEveryKindCreditNothing() {
        JournalRow s = sale(acc, 300, 200);
        JournalRow o = sale(other, 0, 400);
        JournalRow noSuchSeq = journal.append(JournalRow.newBuilder().setKind(RowKind.REVERSAL).setSaleId("x")
                .setTimeMs(T0).setAccountId(acc).setAmountFen(900).setSubsidyFen(900).setReversesSeq(77));
        JournalRow othersSale = reversal(o, acc, 0, 400, T0);
        JournalRow moreMoney = reversal(s, acc, 300, 900, T0);
        JournalRow otherSplit = reversal(s, acc, 0, 500, T0);
        JournalRow tooLate = reversal(s, acc, 300, 200, T0 + Duration.ofHours(25).toMillis());
        JournalRow sighting = journal.append(JournalRow.newBuilder().setKind(RowKind.LOST_CARD_SIGHTING)
                .setSaleId("seen").setTimeMs(T0).setCardUid(s.getCardUid()).setAccountId(acc));
        JournalRow ofASighting = journal.append(JournalRow.newBuilder().setKind(RowKind.REVERSAL).setSaleId("y")
                .setTimeMs(T0).setAccountId(acc).setReversesSeq(sighting.getSeq()));
        JournalRow good = reversal(s, acc, 300, 200, T0 + 1);
        JournalRow twice = reversal(s, acc, 300, 200, T0 + 2);

        IngestResult r = upload();

        assertThat(r.refused()).extracting(RefusedRow::getSeq, RefusedRow::getCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(noSuchSeq.getSeq(), RowRefusal.REVERSAL_NO_SUCH_SALE),
                org.assertj.core.groups.Tuple.tuple(othersSale.getSeq(), RowRefusal.REVERSAL_MISMATCH),
                org.assertj.core.groups.Tuple.tuple(moreMoney.getSeq(), RowRefusal.REVERSAL_MISMATCH),
                org.assertj.core.groups.Tuple.tuple(otherSplit.getSeq(), RowRefusal.REVERSAL_MISMATCH),
                org.assertj.core.groups.Tuple.tuple(tooLate.getSeq(), RowRefusal.REVERSAL_TOO_LATE),
                org.assertj.core.groups.Tuple.tuple(ofASighting.getSeq(), RowRefusal.REVERSAL_NO_SUCH_SALE),
                org.assertj.core.groups.Tuple.tuple(twice.getSeq(), RowRefusal.REVERSAL_ALREADY_REVERSED));
        assertThat(r.refused()).noneMatch(x -> x.getSeq() == good.getSeq());
        assertThat(total(acc)).as("the sale, then its one genuine reversal").isEqualTo(10_000);
        assertThat(total(other)).isEqualTo(10_000 - 400);
        assertThat(ledger.flags().list(t, 100)).hasSize(7)
                .allSatisfy(f -> assertThat(f.detail()).startsWith("seq "));
        assertThat(ledger.accounts().movements(acc)).filteredOn(m -> m.kind().equals("REVERSAL")).hasSize(1);
        // Kept at the center, never silently dropped.
        assertThat(ledger.ingest().appliedRows(t)).isEqualTo(journal.all());
    }

    /** A payment code this terminal showed, paid at the center by {@code account}. */
    QrPayments.PayResult paidQr(long account, long fen) {
        String payload = new CampusQr().create(new CampusQrRequest(t, "CANTEEN-N01", "POS03", t + "-q" + N.incrementAndGet(),
                fen, "NORTH CANTEEN", "BEIJING", null, null, Instant.now().plusSeconds(90),
                TerminalKeySchedule.qrKey(SECRET, t), new SplittableRandom(N.get())));
        QrPayments.PayResult paid = ledger.qr().pay(payload, account, null);
        assertThat(paid.ok()).as(paid.detail()).isTrue();
        return paid;
    }

    JournalRow qrSale(String saleId, String token, long account, long fen) {
        return journal.append(JournalRow.newBuilder().setKind(RowKind.QR_SALE).setSaleId(saleId).setTimeMs(T0)
                .setAccountId(account).setAmountFen(fen).setCashFen(fen).setMode(AuthMode.ONLINE).setQrToken(token));
    }

    /** What the terminal journals to refund a QR sale: the whole amount back to cash. */
    JournalRow qrRefund(JournalRow of) {
        return reversal(of, of.getAccountId(), 0, of.getAmountFen(), T0 + 1);
    }

    @Test
    void forgedQrSalesAndTheirReversalsCreditNothingAndAreFlagged() {
        QrPayments.PayResult paid = paidQr(acc, 300);
        long before = total(acc);
        long otherBefore = total(other);
        JournalRow junk = qrSale(t + "-9001", "junk-token", acc, 5_000);
        JournalRow junkRefund = qrRefund(junk);
        JournalRow moreMoney = qrSale(paid.saleId(), paid.token(), acc, 3_000);
        JournalRow moreRefund = qrRefund(moreMoney);
        JournalRow otherPayer = qrSale(paid.saleId(), paid.token(), other, 300);
        JournalRow otherPayerRefund = qrRefund(otherPayer);

        IngestResult r = upload();

        assertThat(r.refused()).extracting(RefusedRow::getSeq, RefusedRow::getCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(junk.getSeq(), RowRefusal.QR_SALE_NOT_PAID),
                org.assertj.core.groups.Tuple.tuple(junkRefund.getSeq(), RowRefusal.REVERSAL_NO_SUCH_SALE),
                org.assertj.core.groups.Tuple.tuple(moreMoney.getSeq(), RowRefusal.QR_SALE_NOT_PAID),
                org.assertj.core.groups.Tuple.tuple(moreRefund.getSeq(), RowRefusal.REVERSAL_NO_SUCH_SALE),
                org.assertj.core.groups.Tuple.tuple(otherPayer.getSeq(), RowRefusal.QR_SALE_NOT_PAID),
                org.assertj.core.groups.Tuple.tuple(otherPayerRefund.getSeq(), RowRefusal.REVERSAL_NO_SUCH_SALE));
        assertThat(total(acc)).as("nothing credited").isEqualTo(before);
        assertThat(total(other)).isEqualTo(otherBefore);
        assertThat(ledger.accounts().movements(acc)).noneMatch(m -> m.kind().equals("REVERSAL"));
        assertThat(ledger.flags().list(t, 100)).hasSize(6);
        assertThat(ledger.ingest().appliedRows(t)).as("stored, acknowledged, the outbox moves on").isEqualTo(journal.all());
    }

    @Test
    void aGenuineQrSaleAndItsReversalStillWorkAndAreRefundedOnce() {
        QrPayments.PayResult paid = paidQr(acc, 800);
        long before = total(acc);
        JournalRow sale = qrSale(paid.saleId(), paid.token(), acc, 800);
        JournalRow again = qrSale(paid.saleId(), paid.token(), acc, 800);
        qrRefund(sale);
        JournalRow secondRefund = qrRefund(again);

        IngestResult r = upload();

        assertThat(r.refused()).extracting(RefusedRow::getSeq, RefusedRow::getCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(secondRefund.getSeq(), RowRefusal.QR_SALE_NOT_PAID));
        assertThat(total(acc)).as("the payment refunded once, to cash").isEqualTo(before + 800);
        assertThat(ledger.accounts().movements(acc)).filteredOn(m -> m.kind().equals("REVERSAL")).hasSize(1);
        assertThat(ledger.flags().list(t, 100)).hasSize(1);
    }

    @Test
    void aReversalInALaterBatchIsJudgedAgainstTheStoredSale() {
        JournalRow s = sale(acc, 0, 700);
        upload();
        reversal(s, acc, 0, 700, T0 + 5);
        assertThat(upload().refused()).isEmpty();
        reversal(s, acc, 0, 700, T0 + 6);
        assertThat(upload().refused()).extracting(RefusedRow::getCode)
                .containsExactly(RowRefusal.REVERSAL_ALREADY_REVERSED);
        assertThat(total(acc)).isEqualTo(10_000);
    }

    @Test
    void anUnknownRowKindIsStoredAcknowledgedFlaggedAndTheUploadsGoOn() {
        sale(acc, 100, 0);
        JournalRow future = journal.append(JournalRow.newBuilder().setKindValue(42).setSaleId("new-firmware")
                .setTimeMs(T0).setAccountId(acc).setAmountFen(999).setCashFen(999));
        sale(acc, 200, 0);
        IngestResult r = upload();
        assertThat(r.refused()).extracting(RefusedRow::getSeq, RefusedRow::getCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(future.getSeq(), RowRefusal.UNKNOWN_ROW_KIND));
        assertThat(total(acc)).isEqualTo(10_000 - 300);
        List<JournalRow> stored = ledger.ingest().appliedRows(t);
        assertThat(stored.get(1).getKindValue()).isEqualTo(42);
        assertThat(stored.get(1).getMac()).isEqualTo(future.getMac());
        assertThat(ledger.flags().list(t, 10)).extracting(Flags.Flag::code).containsExactly("UNKNOWN_ROW_KIND");
    }
}
