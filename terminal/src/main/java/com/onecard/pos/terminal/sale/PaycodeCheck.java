package com.onecard.pos.terminal.sale;

import com.onecard.pos.paycode.Paycode;
import com.onecard.pos.paycode.PaycodeVerifier;
import com.onecard.pos.terminal.auth.AuthRequestFacts;
import com.onecard.pos.terminal.auth.DeclineReason;
import com.onecard.pos.terminal.config.MealPeriod;
import com.onecard.pos.terminal.store.Store;

import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * The offline checks of a scanned payment code (docs/paycode.md), in center time: the
 * signatures, certificate and time window against what the center pushed, then the replay
 * cache, then the account's facts for the policy. Reads the store: terminal thread.
 */
public final class PaycodeCheck {
    /**
     * A code that passed (reason null: the facts go on to the policy) or its refusal.
     *
     * @param code  the parsed code, null when it did not parse
     * @param facts the account's facts when the code passed
     */
    public record Result(DeclineReason reason, Paycode code, AuthRequestFacts facts, String detail) {
    }

    private final Store store;
    private final PaycodeVerifier verifier;
    private final LongSupplier centerOffsetMs;
    private final SaleFacts gatherer;
    private final Clock clock;

    /** @param centerOffsetMs center clock minus this terminal's clock, as last measured (0 before any contact) */
    public PaycodeCheck(Store store, PaycodeVerifier verifier, LongSupplier centerOffsetMs, Clock clock) {
        this.store = store;
        this.verifier = verifier;
        this.centerOffsetMs = centerOffsetMs;
        // a code carries no card password: any amount that needs one is refused, locked or not
        this.gatherer = new SaleFacts(store, null, clock, () -> java.time.Duration.ZERO);
        this.clock = clock;
    }

    public Result check(String text, long amountFen, MealPeriod period) {
        long centerNow = clock.millis() + centerOffsetMs.getAsLong();
        var v = verifier.verify(text, centerNow, store.paycodes()::issuer, store.paycodes()::revoked);
        if (!v.ok()) {
            return new Result(reason(v.outcome()), v.code(), null, v.detail());
        }
        if (store.paycodes().seen(v.code())) {
            return new Result(DeclineReason.PAYCODE_REPLAYED, v.code(), null, "code " + v.code() + " was paid here before");
        }
        return new Result(null, v.code(), gatherer.gatherForAccount(v.code().certificate().accountId(), amountFen, period),
                v.detail());
    }

    static DeclineReason reason(PaycodeVerifier.Outcome o) {
        return switch (o) {
            case MALFORMED, NOT_A_PAYCODE -> DeclineReason.PAYCODE_MALFORMED;
            case UNKNOWN_ISSUER -> DeclineReason.PAYCODE_UNKNOWN_ISSUER;
            case BAD_CERTIFICATE -> DeclineReason.PAYCODE_BAD_CERTIFICATE;
            case CERTIFICATE_EXPIRED -> DeclineReason.PAYCODE_CERTIFICATE_EXPIRED;
            case REVOKED -> DeclineReason.PAYCODE_REVOKED;
            case BAD_SIGNATURE -> DeclineReason.PAYCODE_BAD_SIGNATURE;
            case NOT_YET_VALID -> DeclineReason.PAYCODE_NOT_YET_VALID;
            case EXPIRED -> DeclineReason.PAYCODE_EXPIRED;
            case OK -> throw new IllegalArgumentException("an accepted code has no decline reason");
        };
    }
}
