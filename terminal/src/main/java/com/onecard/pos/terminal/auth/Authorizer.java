package com.onecard.pos.terminal.auth;

import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.store.CardStatus;
import com.onecard.pos.terminal.store.Purses;

/**
 * The authorization policy. Pure: the same facts always give the same decision, so it is
 * tested exhaustively without a database and timed without I/O.
 */
public final class Authorizer {
    private final TerminalConfig.Auth cfg;

    public Authorizer(TerminalConfig.Auth cfg) {
        this.cfg = cfg;
    }

    /**
     * Checks that do not depend on money or on who decides: card identity, status, meal limit, PIN.
     * Returns null when the card may go on to a money decision.
     */
    public DeclineReason screen(AuthRequestFacts f) {
        if (!f.provisioned()) {
            return DeclineReason.NOT_PROVISIONED;
        }
        if (f.blacklisted()) {
            return DeclineReason.LOST;
        }
        switch (f.credential()) {
            case BAD -> {
                return DeclineReason.BAD_CREDENTIAL;
            }
            case REPLACED -> {
                return DeclineReason.CARD_REPLACED;
            }
            case RETIRED_LAYOUT -> {
                return DeclineReason.OLD_CARD_LAYOUT;
            }
            case EXPIRED -> {
                return DeclineReason.EXPIRED;
            }
            default -> {
                // OK or NOT_CHECKED: go on
            }
        }
        if (f.account() == null) {
            return DeclineReason.UNKNOWN_CARD;
        }
        CardStatus st = f.account().status();
        if (st == CardStatus.LOST) {
            return DeclineReason.LOST;
        }
        if (st == CardStatus.FROZEN) {
            return DeclineReason.FROZEN;
        }
        if (st == CardStatus.EXPIRED || (f.account().expiresDay() > 0 && f.todayEpochDay() > f.account().expiresDay())) {
            return DeclineReason.EXPIRED;
        }
        if (st != CardStatus.ACTIVE) {
            return DeclineReason.FROZEN;
        }
        if (f.period() != null && f.periodCount() >= f.period().countLimit()) {
            return DeclineReason.MEAL_LIMIT;
        }
        return pinCheck(f);
    }

    /**
     * Above a PIN threshold the card password is asked for; the terminal holds nothing to check
     * it against (docs/card-layout.md, "Card passwords offline"): the center checks it during the
     * online authorization, and offline the sale is declined ({@link #offlineAfterScreen}).
     */
    private DeclineReason pinCheck(AuthRequestFacts f) {
        if (!needsPin(f)) {
            return null;
        }
        if (f.pinFailures() >= cfg.pinMaxTries()) {
            return DeclineReason.PIN_LOCKED;
        }
        return f.pin() == null ? DeclineReason.PIN_REQUIRED : null;
    }

    /** The sale is above a PIN threshold: it needs the card password, which only the center can check. */
    public boolean needsPin(AuthRequestFacts f) {
        return (cfg.pinSaleThresholdFen() > 0 && f.amountFen() >= cfg.pinSaleThresholdFen())
                || (cfg.pinDailyThresholdFen() > 0 && f.spentToday() + f.amountFen() > cfg.pinDailyThresholdFen());
    }

    /** Offline stand-in: screen, then the offline caps, then funds. */
    public Decision decideOffline(AuthRequestFacts f) {
        DeclineReason r = screen(f);
        return r != null ? Decision.decline(r) : offlineAfterScreen(f);
    }

    /**
     * The offline caps, then funds, for facts that {@link #screen} already passed. The sale flow
     * screens once per tap.
     */
    public Decision offlineAfterScreen(AuthRequestFacts f) {
        if (needsPin(f)) {
            return Decision.decline(DeclineReason.PIN_NEEDS_CENTER);
        }
        if (f.amountFen() > cfg.maxOfflineSaleFen()) {
            return Decision.decline(DeclineReason.OVER_OFFLINE_SALE_CAP);
        }
        if (f.offlineSpentToday() + f.amountFen() > cfg.dailyOfflinePerCardFen()) {
            return Decision.decline(DeclineReason.OVER_OFFLINE_DAILY_CAP);
        }
        if (f.backlog().count() + 1 > cfg.maxUnsyncedCount() || f.backlog().sumFen() + f.amountFen() > cfg.maxUnsyncedFen()) {
            return Decision.decline(DeclineReason.OVER_UNSYNCED_LIMIT);
        }
        return funds(f.amountFen(), f.available());
    }

    /**
     * After the center approved online: local screening still applies (a blacklist entry or a bad
     * credential seen here wins), then funds against the center's purses less our own overlay.
     */
    public Decision decideOnline(AuthRequestFacts f, Purses centerAvailable) {
        DeclineReason r = screen(f);
        if (r != null) {
            return Decision.decline(r);
        }
        return funds(f.amountFen(), centerAvailable);
    }

    /**
     * After the center approved a sale whose facts {@link #screen} passed before asking: a card
     * listed meanwhile is refused, else funds against the center's purses less our own overlay.
     */
    public Decision onlineAfterScreen(AuthRequestFacts f, boolean blacklistedNow, Purses centerAvailable) {
        if (blacklistedNow) {
            return Decision.decline(DeclineReason.LOST);
        }
        return funds(f.amountFen(), centerAvailable);
    }

    /** Splits the amount: subsidy first, then cash, keeping the minimum retained balance. */
    public Decision funds(long amountFen, Purses available) {
        if (amountFen <= 0) {
            throw new IllegalArgumentException("sale amount must be positive, got " + amountFen);
        }
        if (available.total() - amountFen < cfg.minRetainedBalanceFen()) {
            return Decision.decline(DeclineReason.INSUFFICIENT_FUNDS);
        }
        long fromSubsidy = Math.min(amountFen, Math.max(0, available.subsidyFen()));
        long fromCash = amountFen - fromSubsidy;
        if (fromCash > Math.max(0, available.cashFen())) {
            return Decision.decline(DeclineReason.INSUFFICIENT_FUNDS);
        }
        Purses debit = new Purses(fromSubsidy, fromCash);
        return Decision.approve(debit, available.minus(debit));
    }
}
