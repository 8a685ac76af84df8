package com.onecard.pos.terminal.app;

import com.onecard.pos.display.Yuan;
import com.onecard.pos.reader.gpio.Feedback;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.terminal.config.MealPeriod;
import com.onecard.pos.terminal.sale.SaleOutcome;
import com.onecard.pos.terminal.sale.SaleSignals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * What a sale does to the world once decided: beep and light, customer screen, the sale's one
 * INFO log line, waking the upload, answering whoever awaits the outcome. Called by the sale
 * flow on the terminal thread, after the commit.
 */
final class SaleEffects implements SaleSignals {
    private static final Logger log = LoggerFactory.getLogger(SaleEffects.class);
    private final Feedback feedback;
    private final Screens screens;
    private final SyncClient sync;
    private final SaleOutcomes outcomes;
    private final Supplier<MealPeriod> period;
    private final Runnable decided;

    /** @param sync null without a center; @param period the meal period now, for the idle screen */
    SaleEffects(Feedback feedback, Screens screens, SyncClient sync, SaleOutcomes outcomes, Supplier<MealPeriod> period) {
        this(feedback, screens, sync, outcomes, period, () -> { });
    }

    /** @param decided runs first on every outcome (the terminal loop's background hold for the sale ends) */
    SaleEffects(Feedback feedback, Screens screens, SyncClient sync, SaleOutcomes outcomes, Supplier<MealPeriod> period,
                Runnable decided) {
        this.decided = decided;
        this.feedback = feedback;
        this.screens = screens;
        this.sync = sync;
        this.outcomes = outcomes;
        this.period = period;
    }

    @Override
    public void waitingForCard(String saleId, long amountFen) {
        outcomes.of(saleId);
        screens.amount(amountFen);
    }

    @Override
    public void outcome(SaleOutcome o) {
        decided.run();
        if (o.approved()) {
            feedback.approved();
            screens.approved(o.holder(), o.amountFen(), o.balanceAfterFen(), o.accountId());
            if (sync != null) {
                sync.wake();
            }
        } else {
            feedback.declined();
            screens.declined(declineText(o), o.accountId());
            if (sync != null && o.seq() == 0) {
                sync.wake();
            }
        }
        log.info("sale {} {} {} fen card {} account {} {}{} balance {} fen seq {} decided in {} us",
                o.saleId(), o.approved() ? "APPROVED" : "DECLINED", o.amountFen(), o.uidHex(), o.accountId(),
                o.mode(), o.approved() ? "" : " reason " + o.reasonCode(), o.balanceAfterFen(), o.seq(), o.decisionMicros());
        outcomes.decided(o);
    }

    /** The decline's words, offering the QR code only while the center that takes QR payments is reachable. */
    private String declineText(SaleOutcome o) {
        var reason = o.reason();
        if (reason != com.onecard.pos.terminal.auth.DeclineReason.OVER_OFFLINE_SALE_CAP) {
            return reason.message();
        }
        boolean qr = sync != null && sync.status().connected();
        return reason.chinese() + (qr ? "，或扫码支付" : "（扫码支付也需联网）")
                + com.onecard.pos.terminal.auth.DeclineReason.SEPARATOR
                + reason.english() + (qr ? " or by QR code" : " (QR payment also needs the card center)");
    }

    @Override
    public void idle() {
        screens.idle(period.get());
    }

    @Override
    public void showQr(String saleId, long amountFen, String payload, long secondsLeft) {
        outcomes.of(saleId);
        screens.qr(amountFen, payload, secondsLeft);
    }

    @Override
    public void qrClosed(String token, String saleId) {
        if (sync != null) {
            sync.cancelQr(token, saleId);
        }
    }

    @Override
    public void pinRequired(String saleId, long amountFen) {
        screens.message(Yuan.format(amountFen) + ": please enter your card password on the keypad");
    }

    @Override
    public void message(String text) {
        screens.message(text);
    }
}
