package com.onecard.pos.center.ledger;

import com.google.protobuf.ByteString;
import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.LedgerPolicy;
import com.onecard.pos.center.testing.MovableClock;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.pin.PinVerifier;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;
import com.onecard.pos.sync.proto.AuthResponse.Decline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The card password is checked by the center only: a terminal sends the one typed for a sale
 * above its threshold in the online authorization; wrong tries are counted with the app's, and
 * the accounts stream carries no verifier to terminals.
 */
class CardPasswordOnlineIT {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static final MovableClock CLOCK = new MovableClock(Instant.parse("2026-09-01T11:30:00Z"));
    static final AtomicInteger N = new AtomicInteger();
    static CenterLedger ledger;

    @BeforeAll
    static void open() {
        ledger = CenterLedger.open(TestPostgres.freshDatabase("pin_online"), CLOCK,
                new LedgerPolicy(Duration.ofHours(24), Duration.ofSeconds(60)));
        ledger.terminals().register("W1", SECRET);
    }

    @AfterAll
    static void close() {
        ledger.close();
    }

    private static long account(byte[] uid) {
        long acc = 70_000 + N.incrementAndGet();
        ledger.accounts().open(acc, uid, 1, "Zhao Min", 0, 10_000, PinVerifier.create("123456", new SecureRandom()), 0);
        return acc;
    }

    private static AuthResponse ask(long acc, byte[] uid, String pin) {
        AuthRequest.Builder r = AuthRequest.newBuilder().setSaleId("W1-" + N.incrementAndGet()).setCardUid(ByteString.copyFrom(uid))
                .setAccountId(acc).setAmountFen(6_000).setTimeMs(CLOCK.millis());
        if (pin != null) {
            r.setPin(pin);
        }
        return ledger.authorization().authorize("W1", r.build());
    }

    @Test
    void theRightPasswordIsApprovedAndAWrongOneDeclinedAndCounted() {
        byte[] uid = {5, 5, 5, (byte) N.incrementAndGet()};
        long acc = account(uid);
        AuthResponse wrong = ask(acc, uid, "000000");
        assertThat(wrong.getApproved()).isFalse();
        assertThat(wrong.getDecline()).isEqualTo(Decline.PIN_WRONG);
        assertThat(ledger.accounts().account(acc).orElseThrow().passwordFailures()).isEqualTo(1);
        assertThat(ask(acc, uid, "123456").getApproved()).isTrue();
        assertThat(ledger.accounts().account(acc).orElseThrow().passwordFailures()).as("a right password clears the count").isZero();
    }

    @Test
    void fiveWrongPasswordsLockItAcrossTerminalsAndTheApp() {
        byte[] uid = {6, 6, 6, (byte) N.incrementAndGet()};
        long acc = account(uid);
        for (int i = 0; i < CardPasswordTries.MAX_FAILURES - 1; i++) {
            assertThat(ask(acc, uid, "00000" + i).getDecline()).isEqualTo(Decline.PIN_WRONG);
        }
        assertThat(ask(acc, uid, "999999").getDecline()).isEqualTo(Decline.PIN_LOCKED);
        assertThat(ask(acc, uid, "123456").getDecline()).as("locked even for the right one").isEqualTo(Decline.PIN_LOCKED);
        assertThat(ledger.accounts().account(acc).orElseThrow().passwordFailures()).isEqualTo(CardPasswordTries.MAX_FAILURES);
    }

    @Test
    void theAccountsStreamCarriesNoVerifierToTerminals() {
        byte[] uid = {8, 8, 8, (byte) N.incrementAndGet()};
        long acc = account(uid);
        java.util.List<com.onecard.pos.sync.proto.Downstream> sent = new java.util.ArrayList<>();
        ledger.replay().replay("W1", java.util.Map.of(), sent::add);
        var mine = sent.stream().filter(d -> d.hasAccount() && d.getAccount().getAccountId() == acc).toList();
        assertThat(mine).isNotEmpty().allSatisfy(d -> assertThat(d.getAccount().getPinVerifier()).isEmpty());
    }

    @Test
    void aSaleWithoutAPasswordIsNotCheckedForOne() {
        byte[] uid = {7, 7, 7, (byte) N.incrementAndGet()};
        long acc = account(uid);
        assertThat(ask(acc, uid, null).getApproved()).isTrue();
    }
}
