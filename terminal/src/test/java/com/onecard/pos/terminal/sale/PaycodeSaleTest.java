package com.onecard.pos.terminal.sale;

import com.google.protobuf.ByteString;
import com.onecard.pos.paycode.DeviceCertificate;
import com.onecard.pos.paycode.P256;
import com.onecard.pos.paycode.Paycode;
import com.onecard.pos.paycode.PaycodeVerifier;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.BlacklistEntry;
import com.onecard.pos.sync.proto.PaycodeIssuerKey;
import com.onecard.pos.sync.proto.PaycodeRevocation;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.auth.DeclineReason;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.testutil.MutableClock;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * 支付码 at the window, on a real SQLite store: a code the center's issuer certified pays the
 * open sale offline and is journaled as a PAYCODE_SALE with its replay-cache entry; each way a
 * code can be wrong, and each account rule, refuses with its own reason and writes no sale.
 */
class PaycodeSaleTest {
    static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    static final byte[] UID = HexFormat.of().parseHex("901F2AA4");
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final KeyPair ISSUER = P256.newKeyPair();
    static final byte[] ISSUER_POINT = P256.point(ISSUER.getPublic());

    @TempDir
    Path dir;
    Store store;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-27T04:00:00Z"), ZONE); // 12:00 local
    long centerOffsetMs;
    final List<SaleOutcome> outcomes = new ArrayList<>();
    final List<String> messages = new ArrayList<>();
    KeyPair device = P256.newKeyPair();
    DeviceCertificate cert;

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
        }

        @Override
        public void qrClosed(String token, String saleId) {
        }

        @Override
        public void message(String text) {
            messages.add(text);
        }

        @Override
        public void pinRequired(String saleId, long amountFen) {
        }
    };

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("t.db"), SECRET);
        account(7, UID, AccountStatus.ACTIVE, 300, 2000, 1);
        store.paycodes().applyIssuer(PaycodeIssuerKey.newBuilder().setKeyId(P256.keyId(ISSUER_POINT))
                .setPoint(ByteString.copyFrom(ISSUER_POINT)).build(), 1);
        cert = certificate(41, 7, clock.millis() + Duration.ofHours(72).toMillis(), device);
    }

    @AfterEach
    void close() {
        store.close();
    }

    void account(long id, byte[] uid, AccountStatus status, long subsidy, long cash, long version) {
        store.accounts().applyAccount(AccountUpdate.newBuilder().setAccountId(id).setCardUid(ByteString.copyFrom(uid))
                .setCardSerial(1).setHolderName("Li Lei").setStatus(status).setSubsidyFen(subsidy).setCashFen(cash)
                .setVersion(version).build(), version);
    }

    static DeviceCertificate certificate(long serial, long account, long notAfterMs, KeyPair device) {
        return DeviceCertificate.issue(ISSUER.getPrivate(), ISSUER_POINT, serial, account, notAfterMs, device.getPublic());
    }

    String code(int counter) {
        return Paycode.sign(cert, device.getPrivate(), Paycode.stepOf(clock.millis() + centerOffsetMs), counter).text();
    }

    SaleFlow flow(String... overrides) {
        TerminalConfig cfg = TestConfigs.config(dir, overrides);
        SaleFlow f = new SaleFlow(cfg, store, null, null, new QrIssuer(cfg.terminal(), com.onecard.pos.terminal.testutil.TestKeys.mac(SECRET)), signals, Runnable::run, clock);
        f.acceptPaycodes(new PaycodeCheck(store, new PaycodeVerifier(PaycodeVerifier.Window.DEFAULT),
                () -> centerOffsetMs, clock));
        return f;
    }

    SaleOutcome pay(SaleFlow f, long fen, String code) {
        f.begin(fen, null);
        f.onPaycode(new ScannedCode(code, clock.instant()));
        return outcomes.get(outcomes.size() - 1);
    }

    long paycodeRows() {
        return store.journal().recent(100).stream().filter(e -> e.kind() == com.onecard.pos.terminal.journal.JournalEntry.Kind.PAYCODE_SALE).count();
    }

    @Test
    void aCertifiedCodePaysOfflineAndIsJournaledWithTheCodeBeforeTheOutcome() {
        SaleFlow f = flow();
        String code = code(0);
        SaleOutcome o = pay(f, 1250, code);
        assertThat(o.approved()).as("%s", o.reason()).isTrue();
        assertThat(o.mode()).isEqualTo("paycode");
        assertThat(o.accountId()).isEqualTo(7);
        assertThat(o.balanceAfterFen()).isEqualTo(2300 - 1250);
        var row = store.row(o.seq()).orElseThrow();
        assertThat(row.getKind()).isEqualTo(RowKind.PAYCODE_SALE);
        assertThat(row.getQrToken()).isEqualTo(code);
        assertThat(row.getSubsidyFen()).isEqualTo(300);
        assertThat(row.getCashFen()).isEqualTo(950);
        assertThat(store.paycodes().seen(Paycode.parseUnchecked(code))).isTrue();
        // the overlay counts it: the next code sees the lower balance
        assertThat(pay(f, 1100, code(1)).reason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
        assertThat(pay(f, 1000, code(2)).approved()).isTrue();
    }

    @Test
    void reverseAfterAPaycodeSaleUndoesItAndTheMoneyIsBackInTheOverlay() {
        SaleFlow f = flow();
        SaleOutcome o = pay(f, 1250, code(0));
        assertThat(o.approved()).as("%s", o.reason()).isTrue();
        assertThat(store.overlay(7, 0)).isEqualTo(new com.onecard.pos.terminal.store.Purses(300, 950));

        var rev = f.reverseLast();
        assertThat(rev.kind()).isEqualTo(com.onecard.pos.terminal.journal.JournalEntry.Kind.REVERSAL);
        assertThat(rev.reversesSeq()).isEqualTo(o.seq());
        assertThat(rev.accountId()).isEqualTo(7);
        assertThat(rev.amountFen()).isEqualTo(1250);
        assertThat(rev.subsidyFen()).isEqualTo(300);
        assertThat(rev.cashFen()).isEqualTo(950);
        var row = store.row(rev.seq()).orElseThrow();
        assertThat(row.getKind()).isEqualTo(RowKind.REVERSAL);
        assertThat(row.getReversesSeq()).isEqualTo(o.seq());
        // the money is back: nothing of this terminal's own is owed any more, the whole balance pays
        assertThat(store.overlay(7, 0)).isEqualTo(new com.onecard.pos.terminal.store.Purses(0, 0));
        assertThatThrownBy(f::reverseLast).hasMessageContaining("already reversed");
        // a reversed code stays used; a fresh one pays the whole balance again
        String used = store.row(o.seq()).orElseThrow().getQrToken();
        assertThat(pay(f, 500, used).reason()).isEqualTo(DeclineReason.PAYCODE_REPLAYED);
        assertThat(pay(f, 2300, code(1)).approved()).isTrue();
    }

    @Test
    void aCodeUsedTwiceIsRefusedAlsoAfterARestart() {
        SaleFlow f = flow();
        String code = code(0);
        assertThat(pay(f, 500, code).approved()).isTrue();
        assertThat(pay(f, 500, code).reason()).isEqualTo(DeclineReason.PAYCODE_REPLAYED);
        store.close();
        store = Store.open(dir.resolve("t.db"), SECRET);
        assertThat(pay(flow(), 500, code).reason()).isEqualTo(DeclineReason.PAYCODE_REPLAYED);
        // the same (certificate, step, counter) signed again is the same code
        String resigned = Paycode.sign(cert, device.getPrivate(), Paycode.parseUnchecked(code).timeStep(), 0).text();
        assertThat(resigned).isNotEqualTo(code);
        assertThat(pay(flow(), 500, resigned).reason()).isEqualTo(DeclineReason.PAYCODE_REPLAYED);
        assertThat(paycodeRows()).isEqualTo(1);
    }

    @Test
    void anOldScreenshotIsExpiredAndAFarFutureCodeIsNotYetValid() {
        SaleFlow f = flow();
        String code = code(0);
        long stepEnd = (Paycode.stepOf(clock.millis()) + 1) * Paycode.STEP_MS;
        clock.set(Instant.ofEpochMilli(stepEnd + 60_001));
        assertThat(pay(f, 500, code).reason()).isEqualTo(DeclineReason.PAYCODE_EXPIRED);
        String ahead = Paycode.sign(cert, device.getPrivate(), Paycode.stepOf(clock.millis()) + 2, 0).text();
        assertThat(pay(f, 500, ahead).reason()).isEqualTo(DeclineReason.PAYCODE_NOT_YET_VALID);
        assertThat(paycodeRows()).isZero();
    }

    @Test
    void theTerminalsClockOffsetToTheCenterIsAppliedToTheWindow() {
        centerOffsetMs = 5 * 60_000;                       // this terminal's clock is 5 minutes slow
        String code = code(0);                           // the phone is on center time
        SaleFlow f = flow();
        assertThat(pay(f, 500, code).approved()).isTrue();
        centerOffsetMs = 0;                              // not corrected: the same phone looks 5 minutes ahead
        assertThat(pay(f, 500, Paycode.sign(cert, device.getPrivate(), Paycode.stepOf(clock.millis() + 300_000), 1)
                .text()).reason()).isEqualTo(DeclineReason.PAYCODE_NOT_YET_VALID);
    }

    @Test
    void aLoggedOutDevicesCodeIsRefusedOnceTheRevocationArrived() {
        SaleFlow f = flow();
        store.paycodes().applyRevocation(PaycodeRevocation.newBuilder().setSerial(41).setAccountId(7)
                .setRevokedAtMs(clock.millis()).setReason("session ended: logged out").build(), 2);
        assertThat(pay(f, 500, code(0)).reason()).isEqualTo(DeclineReason.PAYCODE_REVOKED);
        assertThat(store.accounts().cursors()).containsEntry("paycode", 2L);
    }

    @Test
    void anExpiredCertificateAnEditedCodeAndAnUnknownIssuerAreRefusedEachWithItsReason() {
        SaleFlow f = flow();
        cert = certificate(42, 7, clock.millis() - 1, device);
        assertThat(pay(f, 500, code(0)).reason()).isEqualTo(DeclineReason.PAYCODE_CERTIFICATE_EXPIRED);
        cert = certificate(43, 7, clock.millis() + 3_600_000, device);
        byte[] b = Paycode.parseUnchecked(code(0)).encode();
        b[164] ^= 1;                                                     // the counter
        String edited = Paycode.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        assertThat(pay(f, 500, edited).reason()).isEqualTo(DeclineReason.PAYCODE_BAD_SIGNATURE);
        byte[] c = Paycode.parseUnchecked(code(0)).encode();
        c[1 + 13 + 7] ^= 1;                                              // the account in the certificate
        assertThat(pay(f, 500, Paycode.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(c)).reason())
                .isEqualTo(DeclineReason.PAYCODE_BAD_CERTIFICATE);
        KeyPair other = P256.newKeyPair();
        cert = DeviceCertificate.issue(other.getPrivate(), P256.point(other.getPublic()), 44, 7, clock.millis() + 3_600_000,
                device.getPublic());
        assertThat(pay(f, 500, code(0)).reason()).isEqualTo(DeclineReason.PAYCODE_UNKNOWN_ISSUER);
        assertThat(pay(f, 500, code(0).substring(0, 100)).reason()).isEqualTo(DeclineReason.PAYCODE_MALFORMED);
        assertThat(paycodeRows()).isZero();
        assertThat(store.declinesByPeriod(0, Long.MAX_VALUE).toString()).contains("PAYCODE_BAD_SIGNATURE",
                "PAYCODE_UNKNOWN_ISSUER", "PAYCODE_CERTIFICATE_EXPIRED");
    }

    @Test
    void theAccountRulesOfACardApply() {
        SaleFlow f = flow("auth.pin.sale-threshold-fen", "1000");
        assertThat(pay(f, 1000, code(0)).reason()).isEqualTo(DeclineReason.PAYCODE_PASSWORD_AMOUNT);
        f = flow("auth.offline.max-sale-fen", "400");
        assertThat(pay(f, 500, code(1)).reason()).isEqualTo(DeclineReason.OVER_OFFLINE_SALE_CAP);
        f = flow();
        store.accounts().applyBlacklist(BlacklistEntry.newBuilder().setCardUid(ByteString.copyFrom(UID)).setAccountId(7)
                .setListed(true).setReason("reported lost").build(), 1);
        assertThat(pay(f, 500, code(2)).reason()).isEqualTo(DeclineReason.LOST);
        account(7, UID, AccountStatus.LOST, 300, 2000, 2);
        store.accounts().applyBlacklist(BlacklistEntry.newBuilder().setCardUid(ByteString.copyFrom(UID)).setAccountId(7)
                .setListed(false).setReason("found").build(), 2);
        assertThat(pay(f, 500, code(3)).reason()).isEqualTo(DeclineReason.LOST);
        account(7, UID, AccountStatus.FROZEN, 300, 2000, 3);
        assertThat(pay(f, 500, code(4)).reason()).isEqualTo(DeclineReason.FROZEN);
        cert = certificate(50, 99, clock.millis() + 3_600_000, device);
        assertThat(pay(f, 500, code(0)).reason()).isEqualTo(DeclineReason.PAYCODE_UNKNOWN_ACCOUNT);
        assertThat(paycodeRows()).isZero();
    }

    @Test
    void aCodeWithNoSaleOpenAndNoFixedPriceAsksForTheAmountAndChargesNothing() {
        clock.set(Instant.parse("2026-11-27T08:00:00Z"));  // 16:00 local, no meal period
        SaleFlow f = flow();
        f.onPaycode(new ScannedCode(code(0), clock.instant()));
        assertThat(outcomes).isEmpty();
        assertThat(messages).anyMatch(m -> m.contains("amount"));
        assertThat(f.state()).isEqualTo(SaleFlow.State.IDLE);
    }
}
