package com.onecard.pos.center.ledger;

import com.google.protobuf.ByteString;
import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.qr.CampusQrRequest;
import com.onecard.pos.qr.EmvPayload;
import com.onecard.pos.qr.EmvQrParser;
import com.onecard.pos.qr.MerchantQr;
import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.ledger.QrPayments.PayResult;
import com.onecard.pos.center.ledger.QrPayments.Reason;
import com.onecard.pos.center.testing.Await;
import com.onecard.pos.center.testing.MovableClock;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.center.testing.RecordingSubscriber;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.QrPaidNotice;
import com.onecard.pos.sync.proto.RowKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class QrPaymentsIT {
    static final String T = "T-1";
    static final String OTHER = "T-2";
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static final long ACC = 20260001;
    static final Instant NOW = Instant.parse("2026-09-01T12:00:00Z");

    static final Duration DEADLINE = Duration.ofSeconds(10);
    final MovableClock clock = new MovableClock(NOW);
    CenterLedger ledger;
    Recorder atT;
    Recorder atOther;
    final SplittableRandom random = new SplittableRandom(7);
    int sale;

    @BeforeEach
    void open() {
        ledger = CenterLedger.open(TestPostgres.freshDatabase("qr_payments_test"), clock).startFeed();
        ledger.terminals().register(T, SECRET);
        ledger.terminals().register(OTHER, "fedcba9876543210fedcba9876543210".getBytes());
        ledger.accounts().open(ACC, new byte[] {1, 2, 3, 4}, 1, "Wang Fang", 300, 1_000, "", 0);
        atT = new Recorder(RecordingSubscriber.subscribe(ledger, T, Map.of(Streams.ACCOUNTS, Long.MAX_VALUE)));
        atOther = new Recorder(RecordingSubscriber.subscribe(ledger, OTHER, Map.of(Streams.ACCOUNTS, Long.MAX_VALUE)));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    String code(long fen) {
        return new CampusQr().create(new CampusQrRequest(T, "CANTEEN-N01", "POS03", "S" + (++sale), fen,
                "NORTH CANTEEN", "BEIJING", null, null, NOW.plusSeconds(90), com.onecard.pos.sync.keys.TerminalKeySchedule.qrKey(SECRET, T), random));
    }

    @Test
    void paysSubsidyFirstOnceAndNotifiesOnlyTheTerminalOfTheCode() throws Exception {
        String payload = code(1_250);
        PayResult r = ledger.qr().pay(payload, ACC, null);

        assertThat(r.reason()).isEqualTo(Reason.OK);
        assertThat(r.amountFen()).isEqualTo(1_250);
        assertThat(r.subsidyFen()).isEqualTo(300);
        assertThat(r.cashFen()).isEqualTo(950);
        assertThat(r.balanceAfterFen()).isEqualTo(50);
        assertThat(r.merchantName()).isEqualTo("NORTH CANTEEN");
        assertThat(ledger.accounts().purses(ACC)).containsExactly(0, 50);
        assertThat(ledger.accounts().movements(ACC)).anySatisfy(m -> {
            assertThat(m.kind()).isEqualTo("QR");
            assertThat(m.subsidyFen() + m.cashFen()).isEqualTo(-1_250);
        });

        Await.until(DEADLINE, () -> atT.qrNotices().size() == 1 && atOther.accountBalances().contains(50L),
                () -> "pushed " + atT.sub().pushed() + " / " + atOther.sub().pushed());
        List<QrPaidNotice> notices = atT.qrNotices();
        assertThat(notices).hasSize(1);
        QrPaidNotice n = notices.get(0);
        assertThat(n.getToken()).isEqualTo(r.token());
        assertThat(n.getSaleId()).isEqualTo("S1");
        assertThat(n.getAccountId()).isEqualTo(ACC);
        assertThat(n.getHolderName()).isEqualTo("Wang Fang");
        assertThat(n.getAmountFen()).isEqualTo(1_250);
        assertThat(n.getBalanceAfterFen()).isEqualTo(50);
        assertThat(n.getPaidAtMs()).isEqualTo(NOW.toEpochMilli());
        assertThat(atOther.qrNotices()).isEmpty();
        assertThat(atT.accountBalances()).contains(50L);
        assertThat(atOther.accountBalances()).contains(50L);

        assertThat(ledger.qr().pay(payload, ACC, null).reason()).isEqualTo(Reason.REPLAYED);
        assertThat(ledger.accounts().purses(ACC)).containsExactly(0, 50);
        assertThat(atT.qrNotices()).hasSize(1);
    }

    /** Two students paying one screen at once: one is charged, the other is refused REPLAYED. */
    @Test
    void twoStudentsPayingOneCodeAtOnceOnlyOneIsCharged() throws Exception {
        long second = ACC + 1;
        ledger.accounts().open(second, new byte[] {1, 2, 3, 5}, 1, "Li Lei", 0, 2_000, "", 0);
        payOneCodeTwiceAtOnce(ACC, second, true);
    }

    /** The same student double-tapping pay: charged once. */
    @Test
    void aDoubleTappedPayChargesOnce() throws Exception {
        payOneCodeTwiceAtOnce(ACC, ACC, false);
    }

    /**
     * Two {@code pay} calls of one code on two threads. The payers' account rows are held locked by
     * a third transaction until both calls are waiting on a lock, so both have read the code before
     * either can commit (the window a double payment needs), whatever the machine's load.
     *
     * @param inspected the app showed the code first (its token is recorded created), as the
     *                  app's scan page does; otherwise the first sight of the token is the payment
     */
    void payOneCodeTwiceAtOnce(long first, long second, boolean inspected) throws Exception {
        String payload = code(500);
        if (inspected) {
            assertThat(ledger.qr().inspect(payload).reason()).isEqualTo(Reason.OK);
        }
        long before = total(first) + (second == first ? 0 : total(second));
        int movementsBefore = qrMovements(first) + (second == first ? 0 : qrMovements(second));
        ExecutorService two = Executors.newFixedThreadPool(2);
        List<Future<PayResult>> results = new ArrayList<>();
        try (Connection gate = ledger.database().dedicatedConnection();
             Connection look = ledger.database().dedicatedConnection()) {
            gate.setAutoCommit(false);
            try (PreparedStatement p = gate.prepareStatement(
                    "SELECT 1 FROM accounts WHERE account_id IN (?, ?) FOR UPDATE")) {
                p.setLong(1, first);
                p.setLong(2, second);
                p.executeQuery().close();
            }
            results.add(two.submit(() -> ledger.qr().pay(payload, first, null)));
            results.add(two.submit(() -> ledger.qr().pay(payload, second, null)));
            Await.until(DEADLINE, () -> waitingOnLocks(look) >= 2, () -> "both payments waiting on a lock");
            gate.rollback();
            List<Reason> reasons = new ArrayList<>();
            for (Future<PayResult> f : results) {
                reasons.add(f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).reason());
            }
            assertThat(reasons).containsExactlyInAnyOrder(Reason.OK, Reason.REPLAYED);
        } finally {
            two.shutdownNow();
        }
        long after = total(first) + (second == first ? 0 : total(second));
        assertThat(before - after).as("fen debited").isEqualTo(500);
        assertThat(qrMovements(first) + (second == first ? 0 : qrMovements(second)) - movementsBefore)
                .as("QR movements").isEqualTo(1);
        Await.until(DEADLINE, () -> atT.qrNotices().size() >= 1, () -> "pushed " + atT.sub().pushed());
        List<QrPaidNotice> replayed = RecordingSubscriber.replayed(ledger, T,
                Map.of(Streams.ACCOUNTS, Long.MAX_VALUE, Streams.BLACKLIST, Long.MAX_VALUE)).stream()
                .filter(d -> d.getStream().equals(Streams.QR)).map(Downstream::getQrPaid).toList();
        assertThat(replayed).as("notices logged").hasSize(1);
    }

    long total(long account) {
        long[] p = ledger.accounts().purses(account);
        return p[0] + p[1];
    }

    int qrMovements(long account) {
        return (int) ledger.accounts().movements(account).stream().filter(m -> m.kind().equals("QR")).count();
    }

    static int waitingOnLocks(Connection look) {
        try (PreparedStatement p = look.prepareStatement("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'""");
             ResultSet r = p.executeQuery()) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("reading pg_stat_activity", e);
        }
    }

    /** Money held for an online (card) authorization is not spendable by a QR payment. */
    @Test
    void aQrPaymentCannotSpendMoneyHeldForACardSale() throws Exception {
        long held = ACC + 2;
        byte[] uid = {1, 2, 3, 6};
        ledger.accounts().open(held, uid, 1, "Zhao Min", 0, 1_000, "", 0);
        AuthResponse auth = ledger.authorization().authorize(T, AuthRequest.newBuilder().setSaleId(T + "-000001")
                .setCardUid(ByteString.copyFrom(uid)).setAccountId(held).setAmountFen(1_000)
                .setTimeMs(clock.millis()).build());
        assertThat(auth.getApproved()).isTrue();

        PayResult r = ledger.qr().pay(code(1_000), held, null);

        assertThat(r.reason()).isEqualTo(Reason.INSUFFICIENT_FUNDS);
        assertThat(r.detail()).contains("1000 fen held");
        assertThat(ledger.accounts().purses(held)).containsExactly(0, 1_000);
        assertThat(qrMovements(held)).isZero();
    }

    @Test
    void theNoticeIsReplayedToAReconnectingTerminal() throws Exception {
        ledger.qr().pay(code(100), ACC, null);
        // What a reconnecting terminal's replay sends (the live notice may still be on its way to atT).
        List<QrPaidNotice> replayed = RecordingSubscriber.replayed(ledger, T,
                Map.of(Streams.ACCOUNTS, Long.MAX_VALUE, Streams.BLACKLIST, Long.MAX_VALUE)).stream()
                .filter(d -> d.getStream().equals(Streams.QR)).map(Downstream::getQrPaid).toList();
        assertThat(replayed).extracting(QrPaidNotice::getAmountFen).containsExactly(100L);
    }

    @Test
    void anEditedAmountWithARecomputedCrcFailsTheMac() throws Exception {
        String edited = withAmountAndMac(code(1_250), 1, null);
        assertThat(EmvQrParser.parse(edited).get("54")).contains("0.01");
        assertRefused(edited, Reason.BAD_MAC);
    }

    @Test
    void aForgedMacIsRefused() throws Exception {
        String payload = code(500);
        String mac = EmvQrParser.parse(payload).get("80", "03").orElseThrow();
        String forged = (mac.charAt(0) == 'A' ? 'B' : 'A') + mac.substring(1);
        assertRefused(withAmountAndMac(payload, 500, forged), Reason.BAD_MAC);
    }

    @Test
    void formatAndCrcErrorsAreTheirOwnReasons() throws Exception {
        String payload = code(500);
        assertRefused("hello", Reason.BAD_FORMAT);
        String badCrc = payload.substring(0, payload.length() - 4) + (payload.endsWith("0000") ? "1111" : "0000");
        assertRefused(badCrc, Reason.BAD_CRC);
    }

    /** A code as a terminal whose clock is {@code skew} off the center's makes it: expiry 90 s after its own now. */
    String codeFromSkewedTerminal(long fen, Duration skew) {
        return new CampusQr().create(new CampusQrRequest(T, "CANTEEN-N01", "POS03", "S" + (++sale), fen,
                "NORTH CANTEEN", "BEIJING", null, null, NOW.plus(skew).plusSeconds(90), com.onecard.pos.sync.keys.TerminalKeySchedule.qrKey(SECRET, T), random));
    }

    @Test
    void aTerminalTwoDaysBehindIssuesCodesThatArePayableForTheirLifetime() throws Exception {
        ledger.terminals().recordClock(T, Duration.ofHours(48).toMillis(), NOW.toEpochMilli());
        String payload = codeFromSkewedTerminal(500, Duration.ofHours(-48));
        PayResult look = ledger.qr().inspect(payload);
        assertThat(look.reason()).as(look.detail()).isEqualTo(Reason.OK);
        assertThat(look.secondsLeft(NOW.toEpochMilli())).isEqualTo(90);
        assertThat(look.terminalClock().offsetMs()).isEqualTo(Duration.ofHours(48).toMillis());
        clock.advance(Duration.ofSeconds(60));
        assertThat(ledger.qr().pay(payload, ACC, null).reason()).isEqualTo(Reason.OK);
    }

    @Test
    void aTerminalThreeHoursAheadIssuesCodesThatExpireAfterTheirLifetimeNotHoursLater() throws Exception {
        ledger.terminals().recordClock(T, -Duration.ofHours(3).toMillis(), NOW.toEpochMilli());
        String payload = codeFromSkewedTerminal(500, Duration.ofHours(3));
        assertThat(ledger.qr().inspect(payload).reason()).isEqualTo(Reason.OK);
        clock.advance(Duration.ofSeconds(91));
        PayResult late = ledger.qr().pay(payload, ACC, null);
        assertThat(late.reason()).isEqualTo(Reason.EXPIRED);
        assertThat(late.detail()).contains("terminal clock ahead by 10800 s");
        assertThat(ledger.accounts().purses(ACC)).containsExactly(300, 1_000);
    }

    @Test
    void theTerminalListShowsEachTerminalsClock() {
        ledger.terminals().recordClock(T, -Duration.ofHours(3).toMillis(), NOW.toEpochMilli());
        assertThat(ledger.terminals().info(T).clock().offsetMs()).isEqualTo(-10_800_000L);
        assertThat(ledger.terminals().info(OTHER).clock()).isNull();
    }

    @Test
    void anExpiredCodeIsRefused() throws Exception {
        String payload = code(500);
        clock.advance(Duration.ofSeconds(90));
        assertRefused(payload, Reason.EXPIRED);
    }

    @Test
    void aCancelledCodeIsRefused() throws Exception {
        String payload = code(500);
        PayResult seen = ledger.qr().inspect(payload);
        assertThat(seen.ok()).isTrue();
        ledger.qr().recordCancel(T, seen.token(), seen.saleId());
        assertRefused(payload, Reason.CANCELLED);
    }

    @Test
    void insufficientFundsInactiveAccountsAndUnknownTerminalsAreRefused() throws Exception {
        assertRefused(code(1_301), Reason.INSUFFICIENT_FUNDS);
        ledger.terminals().revoke(T);
        assertRefused(code(100), Reason.UNKNOWN_TERMINAL);
        ledger.terminals().register(T, SECRET);
        ledger.accounts().setStatus(ACC, AccountStatus.LOST);
        assertRefused(code(100), Reason.ACCOUNT_NOT_ACTIVE);
        assertThat(ledger.qr().pay(code(100), 999, null).reason()).isEqualTo(Reason.UNKNOWN_ACCOUNT);
    }

    @Test
    void aReversalOfAQrSaleRefundsTheCashPurseAndClosesTheToken() throws Exception {
        String payload = code(800);
        PayResult paid = ledger.qr().pay(payload, ACC, null);
        assertThat(ledger.accounts().purses(ACC)).containsExactly(0, 500);

        // What the terminal journals when the paid notice crossed its cancel.
        FakeOutbox journal = new FakeOutbox(SECRET);
        JournalRow qrSale = journal.append(JournalRow.newBuilder().setKind(RowKind.QR_SALE).setSaleId(paid.saleId())
                .setTimeMs(NOW.toEpochMilli()).setAccountId(ACC).setAmountFen(800).setCashFen(800)
                .setMode(AuthMode.ONLINE).setQrToken(paid.token()));
        journal.append(qrSale.toBuilder().clearMac().clearPrevMac().setKind(RowKind.REVERSAL)
                .setSaleId(paid.saleId() + "-R").setReversesSeq(qrSale.getSeq()));
        IngestResult r = ledger.ingest().ingest(T, journal.all());

        assertThat(r.ok()).as("%s", r.error()).isTrue();
        assertThat(ledger.accounts().purses(ACC)).as("QR_SALE is informational, REVERSAL gives back to cash")
                .containsExactly(0, 1_300);
        assertThat(ledger.qr().pay(payload, ACC, null).reason()).isEqualTo(Reason.REPLAYED);
        assertThat(ledger.accounts().purses(ACC)).containsExactly(0, 1_300);
    }

    @Test
    void aWrongPayerPasswordIsRefusedWithoutCharging() throws Exception {
        ledger.accounts().open(7, new byte[] {9, 9, 9, 9}, 1, "Li Lei", 0, 1_000,
                com.onecard.pos.pin.PinVerifier.create("246810", new java.security.SecureRandom()), 0);
        assertThat(ledger.qr().pay(code(100), 7, "000000").reason()).isEqualTo(Reason.BAD_PASSWORD);
        assertThat(ledger.qr().pay(code(100), 7, "246810").reason()).isEqualTo(Reason.OK);
        assertThat(ledger.accounts().purses(7)).containsExactly(0, 900);
    }

    private void assertRefused(String payload, Reason reason) {
        long[] before = ledger.accounts().purses(ACC);
        int notices = atT.qrNotices().size();
        PayResult r = ledger.qr().pay(payload, ACC, null);
        assertThat(r.reason()).as(r.detail()).isEqualTo(reason);
        assertThat(ledger.accounts().purses(ACC)).isEqualTo(before);
        assertThat(atT.qrNotices()).hasSize(notices);
    }

    /** Rebuilds a code with another amount (and optionally MAC); the builder recomputes the CRC. */
    static String withAmountAndMac(String payload, long fen, String mac) throws Exception {
        EmvPayload p = EmvQrParser.parse(payload);
        return MerchantQr.builder()
                .canteenId(p.get("26", "01").orElseThrow())
                .terminalId(p.get("26", "02").orElseThrow())
                .amountFen(fen)
                .merchantName(p.get("59").orElseThrow())
                .city(p.get("60").orElseThrow())
                .billNumber(p.get("62", "01").orElseThrow())
                .terminalLabel(p.get("62", "07").orElseThrow())
                .campus(p.get("80", "01").orElseThrow(), Long.parseLong(p.get("80", "02").orElseThrow()),
                        mac != null ? mac : p.get("80", "03").orElseThrow())
                .build();
    }

    record Recorder(RecordingSubscriber sub) {
        List<QrPaidNotice> qrNotices() {
            return sub.pushed().stream().filter(d -> d.getStream().equals(Streams.QR)).map(Downstream::getQrPaid).toList();
        }

        List<Long> accountBalances() {
            return sub.pushed().stream().filter(Downstream::hasAccount)
                    .map(d -> d.getAccount().getSubsidyFen() + d.getAccount().getCashFen()).toList();
        }
    }
}
