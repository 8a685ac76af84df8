package com.onecard.pos.terminal.sale;

import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.card.CampusLayout;
import com.onecard.pos.terminal.auth.AuthRequestFacts;
import com.onecard.pos.terminal.auth.AuthRequestFacts.CredentialCheck;
import com.onecard.pos.terminal.config.MealPeriod;
import com.onecard.pos.terminal.store.Account;
import com.onecard.pos.terminal.store.CardDay;
import com.onecard.pos.terminal.store.Purses;
import com.onecard.pos.terminal.store.Store;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Gathers from the store and the card everything the policy needs for one tap, so that the
 * decision itself ({@link com.onecard.pos.terminal.auth.Authorizer}) does no I/O.
 */
public final class SaleFacts {
    private final Store store;
    private final CampusCard campusCard;
    private final Clock clock;
    private final ZoneId zone;
    private final CardLayoutCounts layoutCounts = new CardLayoutCounts();
    private final java.util.function.Supplier<java.time.Duration> pinLock;

    /** @param pinLock how long a card-password lock lasts after its last wrong try ({@code auth.pin.lock-minutes}) */
    public SaleFacts(Store store, CampusCard campusCard, Clock clock, java.util.function.Supplier<java.time.Duration> pinLock) {
        this.store = store;
        this.pinLock = pinLock;
        this.campusCard = campusCard;
        this.clock = clock;
        this.zone = clock.getZone();
    }

    /** Everything the policy needs for this tap; reads the store, so it runs on the terminal thread. */
    /**
     * @param v1AcceptedUntil last day layout-1 cards pay (the campus's cut-over), or null: refused
     */
    public AuthRequestFacts gather(CardTap tap, long amountFen, String pin, MealPeriod period, boolean requireCredential,
                                   LocalDate v1AcceptedUntil) {
        Account a = store.accounts().accountByUid(tap.uid()).orElse(null);
        CredentialCheck cred = credential(tap, a, requireCredential, LocalDate.ofInstant(clock.instant(), zone), v1AcceptedUntil);
        return gather(a, store.accounts().blacklisted(tap.uid()), cred, amountFen, pin, period);
    }

    /**
     * The facts of a sale paid by a verified payment code of {@code accountId}: the code is the
     * credential (checked), the account's card on the blacklist refuses it like the card.
     */
    public AuthRequestFacts gatherForAccount(long accountId, long amountFen, MealPeriod period) {
        Account a = store.accounts().accountById(accountId).orElse(null);
        boolean listed = a != null && store.accounts().blacklisted(a.cardUid());
        return gather(a, listed, CredentialCheck.OK, amountFen, null, period);
    }

    private AuthRequestFacts gather(Account a, boolean blacklisted, CredentialCheck cred, long amountFen, String pin,
                                    MealPeriod period) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        long dayStart = today.atStartOfDay(zone).toInstant().toEpochMilli();
        long dayEnd = today.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        Purses available = Purses.ZERO;
        CardDay day = new CardDay(0, 0, 0);
        int pinFailures = 0;
        if (a != null) {
            available = new Purses(a.subsidyFen(), a.cashFen()).minus(store.overlay(a.accountId(), a.appliedSeq()));
            long ps = 0;
            long pe = 0;
            if (period != null) {
                ps = today.atTime(period.start()).atZone(zone).toInstant().toEpochMilli();
                pe = today.atTime(period.end()).atZone(zone).toInstant().toEpochMilli();
            }
            day = store.cardDay(a.accountId(), dayStart, dayEnd, ps, pe);
            pinFailures = store.accounts().pinFailures(a.accountId(), clock.millis() - pinLock.get().toMillis());
        }
        return new AuthRequestFacts(a, blacklisted, cred, store.accounts().provisioned(), amountFen,
                available, today.toEpochDay(), day.offlineFen(), day.spentFen(), period, period == null ? 0 : day.periodSales(),
                store.backlog(), pin, pinFailures);
    }

    /** Layout-1 cards seen since start (posctl status). */
    public CardLayoutCounts layoutCounts() {
        return layoutCounts;
    }

    /**
     * The campus sectors must verify (layout 2: the issuer's signature; layout 1: the center's
     * ticket, up to the cut-over day) and name the cached account and its current card counter; a
     * bare UID (clone), a refused key or forged data is BAD. An older card counter than the
     * account's is a REPLACED card; a card past its own expiry is EXPIRED.
     */
    private CredentialCheck credential(CardTap tap, Account a, boolean required, LocalDate today, LocalDate v1AcceptedUntil) {
        return switch (tap.campusRead()) {
            case OK -> {
                if (campusCard == null) {
                    yield required ? CredentialCheck.BAD : CredentialCheck.NOT_CHECKED;
                }
                var v = campusCard.verify(tap.uid(), tap.campusData());
                if (v.result() != CampusCard.Result.OK) {
                    yield CredentialCheck.BAD;
                }
                if (v.layout() == CampusLayout.V1) {
                    if (v1AcceptedUntil == null || today.isAfter(v1AcceptedUntil)) {
                        layoutCounts.refusedV1();
                        yield CredentialCheck.RETIRED_LAYOUT;
                    }
                    layoutCounts.acceptedV1(tap.uid());
                }
                if (a != null && v.data().accountId() != a.accountId()) {
                    yield CredentialCheck.BAD;
                }
                if (a != null && v.data().cardSerial() != a.cardSerial()) {
                    yield v.data().cardSerial() < a.cardSerial() ? CredentialCheck.REPLACED : CredentialCheck.BAD;
                }
                if (v.data().expiresDay() > 0 && today.toEpochDay() > v.data().expiresDay()) {
                    yield CredentialCheck.EXPIRED;
                }
                yield CredentialCheck.OK;
            }
            case NOT_ATTEMPTED -> required ? CredentialCheck.BAD : CredentialCheck.NOT_CHECKED;
            default -> CredentialCheck.BAD;
        };
    }
}
