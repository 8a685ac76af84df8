package com.onecard.pos.terminal.sale;

import com.google.protobuf.ByteString;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.BlacklistEntry;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.auth.DeclineReason;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.journal.JournalEntry;
import com.onecard.pos.terminal.store.Purses;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.testutil.MutableClock;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SaleFlowTest {
    static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    static final byte[] UID = HexFormat.of().parseHex("901F2AA4");
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @TempDir
    Path dir;
    Store store;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-27T04:00:00Z"), ZONE); // 12:00 local: lunch
    final List<SaleOutcome> outcomes = new ArrayList<>();
    final FakeCenter center = new FakeCenter();

    final SaleSignals signals = new SaleSignals() {
        @Override
        public void waitingForCard(String saleId, long amountFen) {
        }

        @Override
        public void outcome(SaleOutcome o) {
            outcomes.add(o);
        }

        @Override
        public void idle() {
        }

        @Override
        public void showQr(String saleId, long amountFen, String payload, long secondsLeft) {
            shownQr.add(payload + "|" + secondsLeft);
        }

        @Override
        public void qrClosed(String token, String saleId) {
            closedQr.add(token);
        }

        @Override
        public void message(String text) {
            messages.add(text);
        }

        @Override
        public void pinRequired(String saleId, long amountFen) {
            pinPrompts.add(saleId);
        }
    };
    final List<String> pinPrompts = new ArrayList<>();
    final List<String> shownQr = new ArrayList<>();
    final List<String> closedQr = new ArrayList<>();
    final List<String> messages = new ArrayList<>();

    static final class FakeCenter implements OnlineAuthorizer {
        boolean up;
        CompletableFuture<OnlineAuthorizer.Answer> pending;
        OnlineAuthorizer.Request last;
        final List<String> released = new ArrayList<>();

        @Override
        public void release(String saleId) {
            released.add(saleId);
        }

        @Override
        public boolean connected() {
            return up;
        }

        int asked;

        @Override
        public CompletableFuture<OnlineAuthorizer.Answer> authorize(OnlineAuthorizer.Request request, Duration deadline) {
            asked++;
            last = request;
            pending = new CompletableFuture<>();
            return pending;
        }
    }

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("t.db"), SECRET);
        store.accounts().applyAccount(AccountUpdate.newBuilder().setAccountId(7).setCardUid(ByteString.copyFrom(UID)).setCardSerial(1)
                .setHolderName("Li Lei").setStatus(AccountStatus.ACTIVE).setSubsidyFen(300).setCashFen(2000)
                .setPinVerifier(com.onecard.pos.pin.PinVerifier.create("123456", new java.security.SecureRandom()))
                .setVersion(1).build(), 1);
    }

    @AfterEach
    void close() {
        store.close();
    }

    SaleFlow flow(String... overrides) {
        TerminalConfig cfg = TestConfigs.config(dir, overrides);
        return new SaleFlow(cfg, store, center, null, new QrIssuer(cfg.terminal(), com.onecard.pos.terminal.testutil.TestKeys.mac(SECRET)), signals, Runnable::run, clock);
    }

    CardTap tap(byte[] uid) {
        return new CardTap(uid, 4, 8, CardTap.CampusRead.NOT_ATTEMPTED, new byte[0], clock.instant());
    }

    @Test
    void aPaymentCodeThatCannotBeMadeUsesNoSaleNumberAndNamesTheTag() {
        TerminalConfig cfg = TestConfigs.config(dir);
        var t = cfg.terminal();
        // a name the configuration checks now refuse, as an older file could hold
        var tooLong = new TerminalConfig.Terminal(t.id(), t.label(), t.canteenId(), "NORTH CAMPUS STUDENT CANTEEN NO 1",
                t.merchantNameZh(), t.city(), t.cityZh(), t.dataDir());
        SaleFlow f = new SaleFlow(cfg, store, center, null, new QrIssuer(tooLong, com.onecard.pos.terminal.testutil.TestKeys.mac(SECRET)), signals, Runnable::run, clock);
        center.up = true;
        assertThatThrownBy(() -> f.beginQr(1250)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("EMVCo tag 59").hasMessageNotContaining("merchantName");
        assertThat(f.state()).isEqualTo(SaleFlow.State.IDLE);
        assertThat(f.begin(1250, null)).isEqualTo("T01-1");
    }

    @Test
    void offlineSaleIsJournaledBeforeItIsApproved() {
        SaleFlow f = flow();
        String id = f.begin(1250, null);
        f.onTap(tap(UID));
        assertThat(outcomes).hasSize(1);
        SaleOutcome o = outcomes.get(0);
        assertThat(o.approved()).isTrue();
        assertThat(o.saleId()).isEqualTo(id);
        assertThat(o.balanceAfterFen()).isEqualTo(2300 - 1250);
        var row = store.row(o.seq()).orElseThrow();
        assertThat(row.getAmountFen()).isEqualTo(1250);
        assertThat(row.getSubsidyFen()).isEqualTo(300);
        assertThat(row.getCashFen()).isEqualTo(950);
        assertThat(row.getMealPeriod()).isEqualTo("lunch");
        assertThat(f.state()).isEqualTo(SaleFlow.State.IDLE);
        // when the decision was committed, epoch µs on the terminal's clock (the tap benchmark's end point)
        assertThat(o.committedAtMicros()).isEqualTo(clock.instant().getEpochSecond() * 1_000_000L + clock.instant().getNano() / 1000);
    }

    @Test
    void secondSaleSeesTheFirstInTheOverlay() {
        SaleFlow f = flow();
        f.begin(2000, null);
        f.onTap(tap(UID));
        f.begin(1000, null);
        f.onTap(tap(UID));
        assertThat(outcomes.get(1).approved()).isFalse();
        assertThat(outcomes.get(1).reason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
    }

    @Test
    void fixedMealPriceStartsASaleOnTap() {
        SaleFlow f = flow();
        f.onTap(tap(UID));
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.amountFen()).isEqualTo(1200));
    }

    @Test
    void mealCountLimitApplies() {
        SaleFlow f = flow("pricing.periods", "lunch 11:00-13:00 100 2");
        f.onTap(tap(UID));
        f.onTap(tap(UID));
        f.onTap(tap(UID));
        assertThat(outcomes).extracting(SaleOutcome::approved).containsExactly(true, true, false);
        assertThat(outcomes.get(2).reason()).isEqualTo(DeclineReason.MEAL_LIMIT);
    }

    @Test
    void unknownCardIsDeclinedAndRecorded() {
        SaleFlow f = flow();
        f.begin(100, null);
        f.onTap(tap(new byte[]{9, 9, 9, 9}));
        assertThat(outcomes.get(0).reason()).isEqualTo(DeclineReason.UNKNOWN_CARD);
        assertThat(store.declinesBetween(0, Long.MAX_VALUE)).containsEntry("UNKNOWN_CARD", 1L);
        assertThat(store.lastSeq()).isZero();
    }

    @Test
    void lostCardIsRefusedAndItsSightingJournaled() {
        store.accounts().applyBlacklist(BlacklistEntry.newBuilder().setCardUid(ByteString.copyFrom(UID)).setAccountId(7).setListed(true).build(), 1);
        SaleFlow f = flow();
        f.begin(100, null);
        f.onTap(tap(UID));
        assertThat(outcomes.get(0).reason()).isEqualTo(DeclineReason.LOST);
        assertThat(outcomes.get(0).reason().message()).contains("hand it to the counter");
        assertThat(store.row(1)).hasValueSatisfying(r -> assertThat(r.getKind()).isEqualTo(RowKind.LOST_CARD_SIGHTING));
    }

    @Test
    void waitingSaleTimesOut() {
        SaleFlow f = flow();
        f.begin(100, null);
        clock.advance(Duration.ofSeconds(31));
        f.tick();
        assertThat(outcomes.get(0).reason()).isEqualTo(DeclineReason.TIMEOUT);
        assertThat(f.state()).isEqualTo(SaleFlow.State.IDLE);
    }

    @Test
    void secondSaleWhileOneIsOpenIsRefused() {
        SaleFlow f = flow();
        f.begin(100, null);
        assertThatThrownBy(() -> f.begin(200, null)).isInstanceOf(IllegalStateException.class).hasMessageContaining("in progress");
        f.cancel();
        f.begin(200, null);
    }

    @Test
    void reversalWritesACompensatingRowOnceWithinTheWindow() {
        SaleFlow f = flow();
        f.begin(500, null);
        f.onTap(tap(UID));
        JournalEntry rev = f.reverseLast();
        assertThat(rev.kind()).isEqualTo(JournalEntry.Kind.REVERSAL);
        assertThat(rev.reversesSeq()).isEqualTo(1);
        assertThat(store.overlay(7, 0).total()).isZero();
        assertThatThrownBy(f::reverseLast).hasMessageContaining("already reversed");
        f.begin(500, null);
        f.onTap(tap(UID));
        clock.advance(Duration.ofMinutes(3));
        assertThatThrownBy(f::reverseLast).hasMessageContaining("reversal window");
        assertThat(store.verifyChain()).isEmpty();
    }

    @Test
    void preferOnlineUsesTheCentersAnswer() {
        center.up = true;
        SaleFlow f = flow("auth.mode", "prefer-online");
        f.begin(500, null);
        f.onTap(tap(UID));
        assertThat(f.state()).isEqualTo(SaleFlow.State.AUTHORIZING);
        assertThat(center.last.amountFen()).isEqualTo(500);
        center.pending.complete(new OnlineAuthorizer.Answer(true, null, new Purses(0, 600), 0));
        assertThat(outcomes.get(0).approved()).isTrue();
        assertThat(outcomes.get(0).mode()).isEqualTo("online");
        assertThat(outcomes.get(0).balanceAfterFen()).isEqualTo(100);
        assertThat(center.released).isEmpty();
    }

    @Test
    void theCenterIsAskedWhenTheCardAnswersAndItsTapTakesThatAnswer() {
        center.up = true;
        SaleFlow f = flow("auth.mode", "prefer-online");
        f.begin(500, null);
        f.onCardSeen(UID);
        assertThat(center.asked).isEqualTo(1);
        assertThat(center.last.accountId()).isEqualTo(7);
        assertThat(center.last.amountFen()).isEqualTo(500);
        // the answer comes back while the sectors are read: nothing is decided before the tap
        center.pending.complete(new OnlineAuthorizer.Answer(true, null, new Purses(0, 600), 0));
        assertThat(outcomes).isEmpty();
        assertThat(f.state()).isEqualTo(SaleFlow.State.WAIT_CARD);
        f.onTap(tap(UID));
        assertThat(center.asked).as("the tap takes the early answer, it does not ask again").isEqualTo(1);
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.approved()).isTrue();
            assertThat(o.mode()).isEqualTo("online");
            assertThat(o.balanceAfterFen()).isEqualTo(100);
        });
        assertThat(center.released).isEmpty();
    }

    @Test
    void anEarlyAskThatNoTapTakesIsReleasedWhenTheSaleEnds() {
        center.up = true;
        SaleFlow f = flow("auth.mode", "prefer-online");
        String id = f.begin(500, null);
        f.onCardSeen(UID);
        center.pending.complete(new OnlineAuthorizer.Answer(true, null, new Purses(0, 600), 0));
        f.cancel();
        assertThat(center.released).containsExactly(id);
    }

    @Test
    void anotherCardsTapAfterAnEarlyAskIsDecidedWithoutTheCenterAndTheEarlyHoldIsReleased() {
        byte[] other = HexFormat.of().parseHex("04AABBCC");
        store.accounts().applyAccount(AccountUpdate.newBuilder().setAccountId(8).setCardUid(ByteString.copyFrom(other)).setCardSerial(1)
                .setHolderName("Han Meimei").setStatus(AccountStatus.ACTIVE).setSubsidyFen(0).setCashFen(5000)
                .setVersion(2).build(), 2);
        center.up = true;
        SaleFlow f = flow("auth.mode", "prefer-online");
        String id = f.begin(500, null);
        f.onCardSeen(UID);
        f.onTap(tap(other));
        assertThat(center.asked).as("the sale id is held for the first card: not asked again").isEqualTo(1);
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.approved()).isTrue();
            assertThat(o.accountId()).isEqualTo(8);
            assertThat(o.mode()).isEqualTo("offline");
        });
        assertThat(center.released).containsExactly(id);
    }

    @Test
    void aSaleThatAsksForTheCardPasswordIsNotAskedEarly() {
        center.up = true;
        SaleFlow f = flow("auth.mode", "prefer-online", "auth.pin.sale-threshold-fen", "1000");
        f.begin(1500, null);
        f.onCardSeen(UID);
        assertThat(center.asked).isZero();
    }

    @Test
    void aCenterApprovalThisTerminalDeclinesReleasesTheCentersHold() {
        center.up = true;
        SaleFlow f = flow("auth.mode", "prefer-online");
        f.begin(500, null);
        f.onTap(tap(UID));
        // The center approved on its purses, but 400 fen is less than the sale here: declined, hold released.
        center.pending.complete(new OnlineAuthorizer.Answer(true, null, new Purses(0, 400), 0));
        assertThat(outcomes.get(0).approved()).isFalse();
        assertThat(center.released).containsExactly(center.last.saleId());
        assertThat(store.lastSeq()).isZero();
    }

    @Test
    void preferOnlineStandsInOfflineWhenTheCenterIsLate() {
        center.up = true;
        SaleFlow f = flow("auth.mode", "prefer-online");
        f.begin(500, null);
        f.onTap(tap(UID));
        center.pending.completeExceptionally(new TimeoutException("deadline"));
        assertThat(outcomes.get(0).approved()).isTrue();
        assertThat(outcomes.get(0).mode()).isEqualTo("offline");
    }

    @Test
    void onlineOnlyRefusesWhenTheCenterIsDown() {
        SaleFlow f = flow("auth.mode", "online-only", "center.host", "127.0.0.1");
        f.begin(500, null);
        f.onTap(tap(UID));
        assertThat(outcomes.get(0).reason()).isEqualTo(DeclineReason.CENTER_UNREACHABLE);
    }

    @Test
    void centerDeclineCarriesItsReason() {
        center.up = true;
        SaleFlow f = flow("auth.mode", "prefer-online");
        f.begin(500, null);
        f.onTap(tap(UID));
        center.pending.complete(new OnlineAuthorizer.Answer(false, DeclineReason.FROZEN, Purses.ZERO, 0));
        assertThat(outcomes.get(0).reason()).isEqualTo(DeclineReason.FROZEN);
        assertThat(store.lastSeq()).isZero();
    }

    private static String tokenOf(String payload) {
        var v = new com.onecard.pos.qr.CampusQr().verify(payload, SECRET, Instant.parse("2026-11-27T04:00:00Z"));
        return v.token();
    }

    private static QrPaid paid(String token, String saleId, long amount) {
        return new QrPaid(token, saleId, 7, "Li Lei", amount, 1000);
    }

    @Test
    void qrSaleIsApprovedOnlyOnTheCentersNotice() {
        SaleFlow f = flow();
        center.up = true;
        String id = f.beginQr(800);
        assertThat(f.state()).isEqualTo(SaleFlow.State.WAIT_QR);
        String payload = shownQr.get(0).split("\\|")[0];
        assertThat(payload).contains(id);
        clock.advance(Duration.ofSeconds(5));
        f.tick();
        assertThat(shownQr).hasSize(2);
        f.onQrPaid(paid(tokenOf(payload), id, 800));
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.approved()).isTrue();
            assertThat(o.mode()).isEqualTo("qr");
            assertThat(o.balanceAfterFen()).isEqualTo(1000);
        });
        assertThat(store.row(1)).hasValueSatisfying(r -> assertThat(r.getKind()).isEqualTo(RowKind.QR_SALE));
        assertThat(store.overlay(7, 0).total()).isZero();
    }

    @Test
    void qrExpiresAndTellsTheCenter() {
        SaleFlow f = flow();
        center.up = true;
        f.beginQr(800);
        clock.advance(Duration.ofSeconds(91));
        f.tick();
        assertThat(outcomes.get(0).reason()).isEqualTo(DeclineReason.QR_EXPIRED);
        assertThat(closedQr).hasSize(1);
    }

    @Test
    void noticeAfterCancelIsJournaledAndRefunded() {
        SaleFlow f = flow();
        center.up = true;
        String id = f.beginQr(800);
        String token = tokenOf(shownQr.get(0).split("\\|")[0]);
        f.cancel();
        assertThat(closedQr).containsExactly(token);
        f.onQrPaid(paid(token, id, 800));
        assertThat(outcomes).isEmpty();
        assertThat(store.row(1)).hasValueSatisfying(r -> assertThat(r.getKind()).isEqualTo(RowKind.QR_SALE));
        assertThat(store.row(2)).hasValueSatisfying(r -> {
            assertThat(r.getKind()).isEqualTo(RowKind.REVERSAL);
            assertThat(r.getReversesSeq()).isEqualTo(1);
            assertThat(r.getCashFen()).isEqualTo(800);
        });
        assertThat(messages).singleElement().asString().contains("refunded");
    }

    @Test
    void repeatedQrNoticeIsIgnored() {
        SaleFlow f = flow();
        center.up = true;
        String id = f.beginQr(800);
        String token = tokenOf(shownQr.get(0).split("\\|")[0]);
        f.onQrPaid(paid(token, id, 800));
        f.onQrPaid(paid(token, id, 800));
        assertThat(outcomes).hasSize(1);
        assertThat(store.lastSeq()).isEqualTo(1);
    }

    @Test
    void aPasswordAboveTheThresholdIsAskedForAndSentToTheCenterWhichDecides() {
        center.up = true;
        SaleFlow f = flow("auth.mode", "prefer-online", "auth.pin.sale-threshold-fen", "1000", "auth.pin.max-tries", "2");
        f.begin(1500, null);
        f.onTap(tap(UID));
        assertThat(f.state()).isEqualTo(SaleFlow.State.WAIT_PIN);
        assertThat(pinPrompts).hasSize(1);
        assertThat(outcomes).isEmpty();
        f.enterPin("123456");
        assertThat(center.last.pin()).isEqualTo("123456");
        assertThat(center.last.toString()).doesNotContain("123456");
        center.pending.complete(new OnlineAuthorizer.Answer(true, null, new Purses(0, 2300), 0));
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.approved()).isTrue());
    }

    @Test
    void belowTheThresholdNoPasswordGoesToTheCenter() {
        center.up = true;
        SaleFlow f = flow("auth.mode", "prefer-online", "auth.pin.sale-threshold-fen", "1000");
        f.begin(900, null);
        f.onTap(tap(UID));
        assertThat(center.last.pin()).isNull();
    }

    @Test
    void wrongPasswordsTheCenterReportsAreCountedAndLockHere() {
        center.up = true;
        SaleFlow f = flow("auth.mode", "prefer-online", "auth.pin.sale-threshold-fen", "1000", "auth.pin.max-tries", "2");
        for (int i = 0; i < 2; i++) {
            f.begin(1500, null);
            f.onTap(tap(UID));
            f.enterPin("000000");
            center.pending.complete(new OnlineAuthorizer.Answer(false, DeclineReason.PIN_WRONG, new Purses(0, 2300), 0));
        }
        f.begin(1500, null);
        f.onTap(tap(UID));
        assertThat(outcomes).extracting(SaleOutcome::reason)
                .containsExactly(DeclineReason.PIN_WRONG, DeclineReason.PIN_WRONG, DeclineReason.PIN_LOCKED);
        assertThat(store.lastSeq()).isZero();
    }

    @Test
    void reverseUndoesTheLastSaleWhateverItsKindNotAnOlderCardSale() {
        SaleFlow f = flow();
        f.begin(1500, null);
        f.onTap(tap(UID));
        center.up = true;
        String id = f.beginQr(1250);
        f.onQrPaid(new QrPaid(tokenOf(shownQr.get(0).split("\\|")[0]), id, 8, "Han Meimei", 1250, 500));
        JournalEntry rev = f.reverseLast();
        assertThat(rev.reversesSeq()).isEqualTo(2);
        assertThat(rev.accountId()).isEqualTo(8);
        assertThat(rev.amountFen()).isEqualTo(1250);
        assertThat(rev.cashFen()).isEqualTo(1250);
        assertThat(store.overlay(7, 0).total()).isEqualTo(1500);
        assertThatThrownBy(f::reverseLast).hasMessageContaining("already reversed");
    }

    @Test
    void aMealPriceSaleKnowsTheAmountItCharges() {
        SaleFlow f = flow();
        f.begin(0, null);
        assertThat(f.currentAmountFen()).isEqualTo(1200);
    }

    @Test
    void noCardSaleStartsWhileTheReaderCannotReadButQrDoes() {
        SaleFlow f = flow();
        f.cardReader(() -> "the card reader on /dev/ttyUSB0 is DISCONNECTED");
        assertThatThrownBy(() -> f.begin(1250, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DISCONNECTED").hasMessageContaining("QR");
        assertThat(f.state()).isEqualTo(SaleFlow.State.IDLE);
        center.up = true;
        f.beginQr(1250);
        assertThat(f.state()).isEqualTo(SaleFlow.State.WAIT_QR);
    }

    /** A password typed at the window goes to the center, which answers {@code ok} or PIN_WRONG. */
    private void typeAtTheWindow(SaleFlow f, String pin, boolean ok) {
        f.begin(1500, null);
        f.onTap(tap(UID));
        if (f.state() == SaleFlow.State.WAIT_PIN) {
            f.enterPin(pin);
            center.pending.complete(ok ? new OnlineAuthorizer.Answer(true, null, new Purses(300, 2000), 0)
                    : new OnlineAuthorizer.Answer(false, DeclineReason.PIN_WRONG, new Purses(300, 2000), 0));
        }
    }

    @Test
    void wrongPasswordsTheCenterRefusedLockTheCardHereUntilTheLockPeriodEnds() {
        center.up = true;
        SaleFlow f = flow("auth.mode", "prefer-online", "auth.pin.sale-threshold-fen", "1000", "auth.pin.max-tries", "2",
                "auth.pin.lock-minutes", "60");
        typeAtTheWindow(f, "000000", false);
        typeAtTheWindow(f, "000000", false);
        assertThat(outcomes.get(1).reason()).isEqualTo(DeclineReason.PIN_WRONG);
        typeAtTheWindow(f, "123456", true);
        assertThat(outcomes.get(2).reason()).as("locked here, the center is not asked").isEqualTo(DeclineReason.PIN_LOCKED);
        clock.advance(Duration.ofMinutes(59));
        typeAtTheWindow(f, "123456", true);
        assertThat(outcomes.get(3).reason()).isEqualTo(DeclineReason.PIN_LOCKED);
        clock.advance(Duration.ofMinutes(2));
        typeAtTheWindow(f, "123456", true);
        assertThat(outcomes.get(4).approved()).isTrue();
    }

    @Test
    void aQrCodeIsOfferedOnlyWhileTheCenterIsReachable() {
        SaleFlow f = flow();
        assertThatThrownBy(() -> f.beginQr(800)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("QR payment needs the card center");
        assertThat(f.state()).isEqualTo(SaleFlow.State.IDLE);
        center.up = true;
        f.beginQr(800);
        assertThat(f.state()).isEqualTo(SaleFlow.State.WAIT_QR);
        center.up = false;
        f.tick();
        assertThat(f.state()).isEqualTo(SaleFlow.State.IDLE);
        assertThat(closedQr).hasSize(1);
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo(DeclineReason.CENTER_UNREACHABLE));
        assertThat(DeclineReason.OVER_OFFLINE_SALE_CAP.message()).doesNotContain("QR");
    }

    @Test
    void offlineASaleThatNeedsAPasswordIsDeclinedWithoutAskingForIt() {
        SaleFlow f = flow("auth.pin.sale-threshold-fen", "1000");
        f.begin(1500, null);
        f.onTap(tap(UID));
        assertThat(pinPrompts).isEmpty();
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo(DeclineReason.PIN_NEEDS_CENTER));
        assertThat(store.lastSeq()).isZero();
    }

    @Test
    void aPasswordSaleTheCenterDoesNotAnswerIsNotApprovedOffline() {
        center.up = true;
        SaleFlow f = flow("auth.mode", "prefer-online", "auth.pin.sale-threshold-fen", "1000");
        f.begin(1500, null);
        f.onTap(tap(UID));
        f.enterPin("123456");
        center.pending.completeExceptionally(new TimeoutException("deadline"));
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo(DeclineReason.PIN_NEEDS_CENTER));
        assertThat(store.lastSeq()).isZero();
    }

    @Test
    void theAccountCacheKeepsNoPasswordVerifierEvenWhenTheCenterSendsOne() {
        assertThat(store.accounts().accountByUid(UID).orElseThrow().pinVerifier()).isEmpty();
    }

    @Test
    void pinPromptTimesOut() {
        center.up = true;
        SaleFlow f = flow("auth.mode", "prefer-online", "auth.pin.sale-threshold-fen", "1000");
        f.begin(1500, null);
        f.onTap(tap(UID));
        clock.advance(Duration.ofSeconds(31));
        f.tick();
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo(DeclineReason.TIMEOUT));
        assertThatThrownBy(() -> f.enterPin("123456")).hasMessageContaining("no sale is waiting");
    }

    @Test
    void aFullDiskRefusesTheSaleWithAClearReasonAndKeepsTheJournal() {
        SaleFlow f = flow("pricing.periods", "");
        f.begin(100, null);
        f.onTap(tap(UID));
        com.onecard.pos.terminal.store.StoreFaults.full(store);
        for (int i = 0; i < 200 && outcomes.get(outcomes.size() - 1).approved(); i++) {
            f.begin(1, null);
            f.onTap(tap(UID));
        }
        SaleOutcome last = outcomes.get(outcomes.size() - 1);
        assertThat(last.approved()).isFalse();
        assertThat(last.reason()).isEqualTo(DeclineReason.STORAGE_FAULT);
        assertThat(last.reason().message()).contains("not recorded");
        assertThat(store.verifyChain()).isEmpty();
        assertThat(store.row(1)).isPresent();
        assertThat(f.state()).isEqualTo(SaleFlow.State.IDLE);
    }

    @Test
    void aReadOnlyDatabaseRefusesTheSale() {
        SaleFlow f = flow();
        com.onecard.pos.terminal.store.StoreFaults.readOnly(store);
        f.begin(100, null);
        f.onTap(tap(UID));
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo(DeclineReason.STORAGE_FAULT));
        assertThat(store.lastSeq()).isZero();
    }

    @Test
    void menuItemsAddUpAndUnknownNumbersAreNamed() {
        SaleFlow f = flow("pricing.menu", "1 1500 pork; 2 200 rice");
        assertThat(f.menuTotal(List.of(1, 2, 2))).isEqualTo(1900);
        assertThatThrownBy(() -> f.menuTotal(List.of(1, 9))).hasMessageContaining("menu item 9");
    }
}
