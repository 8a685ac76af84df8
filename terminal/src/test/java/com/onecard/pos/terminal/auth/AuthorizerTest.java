package com.onecard.pos.terminal.auth;

import com.onecard.pos.terminal.store.CardStatus;
import com.onecard.pos.terminal.auth.AuthRequestFacts.CredentialCheck;
import com.onecard.pos.terminal.config.MealPeriod;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.store.Account;
import com.onecard.pos.terminal.store.Backlog;
import com.onecard.pos.terminal.store.Purses;
import com.onecard.pos.terminal.testutil.TestConfigs;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalTime;

import static org.assertj.core.api.Assertions.assertThat;

class AuthorizerTest {
    static final TerminalConfig CFG = TestConfigs.config(Path.of("/tmp"),
            "auth.offline.max-sale-fen", "5000", "auth.offline.daily-per-card-fen", "8000",
            "auth.offline.max-unsynced-count", "100", "auth.offline.max-unsynced-fen", "100000",
            "auth.pin.sale-threshold-fen", "3000", "auth.pin.max-tries", "3", "auth.min-retained-balance-fen", "0");
    final Authorizer auth = new Authorizer(CFG.auth());

    static Account account(CardStatus st, long subsidy, long cash) {
        return new Account(7, new byte[]{1, 2, 3, 4}, 1, "Li Lei", st, subsidy, cash, 1, 0, "", 0);
    }

    static AuthRequestFacts facts(Account a, long amount) {
        return new AuthRequestFacts(a, false, CredentialCheck.OK, true, amount,
                a == null ? Purses.ZERO : new Purses(a.subsidyFen(), a.cashFen()), 20000, 0, 0, null, 0,
                new Backlog(0, 0, 0, 0, 0), null, 0);
    }

    static AuthRequestFacts with(AuthRequestFacts f, java.util.function.UnaryOperator<Object[]> edit) {
        Object[] v = {f.account(), f.blacklisted(), f.credential(), f.provisioned(), f.amountFen(), f.available(),
                f.todayEpochDay(), f.offlineSpentToday(), f.spentToday(), f.period(), f.periodCount(), f.backlog(), f.pin(), f.pinFailures()};
        v = edit.apply(v);
        return new AuthRequestFacts((Account) v[0], (Boolean) v[1], (CredentialCheck) v[2], (Boolean) v[3], (Long) v[4],
                (Purses) v[5], (Long) v[6], (Long) v[7], (Long) v[8], (MealPeriod) v[9], (Integer) v[10], (Backlog) v[11],
                (String) v[12], (Integer) v[13]);
    }

    @Test
    void approvesAndSpendsSubsidyFirst() {
        Decision d = auth.decideOffline(facts(account(CardStatus.ACTIVE, 500, 2000), 1200));
        assertThat(d.approved()).isTrue();
        assertThat(d.debit()).isEqualTo(new Purses(500, 700));
        assertThat(d.balanceAfter()).isEqualTo(new Purses(0, 1300));
    }

    @Test
    void eachRefusalHasItsReason() {
        Account ok = account(CardStatus.ACTIVE, 0, 10_000);
        assertThat(auth.decideOffline(facts(null, 100)).reason()).isEqualTo(DeclineReason.UNKNOWN_CARD);
        assertThat(auth.decideOffline(with(facts(ok, 100), v -> { v[1] = true; return v; })).reason()).isEqualTo(DeclineReason.LOST);
        assertThat(auth.decideOffline(with(facts(ok, 100), v -> { v[2] = CredentialCheck.BAD; return v; })).reason()).isEqualTo(DeclineReason.BAD_CREDENTIAL);
        assertThat(auth.decideOffline(with(facts(ok, 100), v -> { v[3] = false; return v; })).reason()).isEqualTo(DeclineReason.NOT_PROVISIONED);
        assertThat(auth.decideOffline(facts(account(CardStatus.LOST, 0, 10_000), 100)).reason()).isEqualTo(DeclineReason.LOST);
        assertThat(auth.decideOffline(facts(account(CardStatus.FROZEN, 0, 10_000), 100)).reason()).isEqualTo(DeclineReason.FROZEN);
        assertThat(auth.decideOffline(facts(account(CardStatus.EXPIRED, 0, 10_000), 100)).reason()).isEqualTo(DeclineReason.EXPIRED);
        assertThat(auth.decideOffline(facts(account(CardStatus.ACTIVE, 0, 99), 100)).reason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
        assertThat(auth.decideOffline(facts(ok, 5001)).reason()).isEqualTo(DeclineReason.PIN_REQUIRED);
        assertThat(auth.decideOffline(with(facts(ok, 5001), v -> { v[12] = "123456"; return v; })).reason()).isEqualTo(DeclineReason.PIN_NEEDS_CENTER);
        assertThat(auth.decideOffline(with(facts(ok, 2000), v -> { v[7] = 7000L; return v; })).reason()).isEqualTo(DeclineReason.OVER_OFFLINE_DAILY_CAP);
        assertThat(auth.decideOffline(with(facts(ok, 100), v -> { v[11] = new Backlog(100, 0, 0, 100, 0); return v; })).reason()).isEqualTo(DeclineReason.OVER_UNSYNCED_LIMIT);
        assertThat(auth.decideOffline(with(facts(ok, 100), v -> { v[11] = new Backlog(1, 99_950, 0, 1, 0); return v; })).reason()).isEqualTo(DeclineReason.OVER_UNSYNCED_LIMIT);
        MealPeriod lunch = new MealPeriod("lunch", LocalTime.of(11, 0), LocalTime.of(13, 0), 1200, 2);
        assertThat(auth.decideOffline(with(facts(ok, 100), v -> { v[9] = lunch; v[10] = 2; return v; })).reason()).isEqualTo(DeclineReason.MEAL_LIMIT);
        assertThat(auth.decideOffline(with(facts(ok, 100), v -> { v[9] = lunch; v[10] = 1; return v; })).approved()).isTrue();
    }

    @Test
    void expiryDayIsChecked() {
        Account a = new Account(7, new byte[4], 1, "x", CardStatus.ACTIVE, 0, 1000, 1, 0, "", 19999);
        assertThat(auth.decideOffline(facts(a, 100)).reason()).isEqualTo(DeclineReason.EXPIRED);
    }

    @Test
    void aCardPasswordIsAskedForAboveTheThresholdAndOnlyTheCenterChecksIt() {
        Account ok = account(CardStatus.ACTIVE, 0, 10_000);
        assertThat(auth.decideOffline(facts(ok, 2999)).approved()).as("below the threshold no password").isTrue();
        assertThat(auth.decideOffline(facts(ok, 3000)).reason()).isEqualTo(DeclineReason.PIN_REQUIRED);
        // offline there is nothing to check a password against, right or wrong
        assertThat(auth.decideOffline(with(facts(ok, 3000), v -> { v[12] = "123456"; return v; })).reason()).isEqualTo(DeclineReason.PIN_NEEDS_CENTER);
        assertThat(auth.decideOffline(with(facts(ok, 3000), v -> { v[12] = "000000"; return v; })).reason()).isEqualTo(DeclineReason.PIN_NEEDS_CENTER);
        // the center approved the sale with its password: the terminal adds no check of its own
        assertThat(auth.decideOnline(with(facts(ok, 3000), v -> { v[12] = "000000"; return v; }), new Purses(0, 10_000)).approved()).isTrue();
        assertThat(auth.decideOffline(with(facts(ok, 3000), v -> { v[12] = "123456"; v[13] = 3; return v; })).reason()).isEqualTo(DeclineReason.PIN_LOCKED);
        assertThat(auth.needsPin(facts(ok, 3000))).isTrue();
        assertThat(auth.needsPin(facts(ok, 2999))).isFalse();
    }

    @Test
    void minimumRetainedBalanceIsKept() {
        var cfg = TestConfigs.config(Path.of("/tmp"), "auth.min-retained-balance-fen", "100");
        var a = new Authorizer(cfg.auth());
        assertThat(a.funds(900, new Purses(0, 1000)).approved()).isTrue();
        assertThat(a.funds(901, new Purses(0, 1000)).reason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
    }

    @Property
    void fundsConserveMoney(@ForAll @LongRange(min = -500, max = 20_000) long subsidy,
                            @ForAll @LongRange(min = -500, max = 20_000) long cash,
                            @ForAll @LongRange(min = 1, max = 30_000) long amount) {
        Decision d = auth.funds(amount, new Purses(subsidy, cash));
        if (d.approved()) {
            assertThat(d.debit().total()).isEqualTo(amount);
            assertThat(d.debit().subsidyFen()).isBetween(0L, Math.max(0, subsidy));
            assertThat(d.debit().cashFen()).isBetween(0L, Math.max(0, cash));
            assertThat(d.balanceAfter().total()).isEqualTo(subsidy + cash - amount);
        } else {
            assertThat(d.reason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
        }
    }
}
