package com.onecard.pos.terminal.app;

import com.onecard.pos.display.HolderPhoto;
import com.onecard.pos.display.Screen;
import com.onecard.pos.display.StatusBar;
import com.onecard.pos.display.Yuan;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.terminal.config.MealPeriod;
import com.onecard.pos.terminal.store.Store;

import java.time.Clock;
import java.time.LocalTime;
import java.util.function.Supplier;

/** What the customer display shows for each state, with the status bar. Terminal thread. */
final class Screens {
    private final Display display;
    private final Store store;
    private final SyncClient sync;
    private final Supplier<com.onecard.pos.terminal.config.TerminalConfig> cfg;
    private final Clock clock;
    private final Supplier<String> cardReaderUnavailable;

    /** @param cardReaderUnavailable why no card can be read now, or null (the idle screen then asks for a tap) */
    Screens(Display display, Store store, SyncClient sync, Supplier<com.onecard.pos.terminal.config.TerminalConfig> cfg,
            Clock clock, Supplier<String> cardReaderUnavailable) {
        this.display = display;
        this.cardReaderUnavailable = cardReaderUnavailable;
        this.store = store;
        this.sync = sync;
        this.cfg = cfg;
        this.clock = clock;
    }

    void idle(MealPeriod p) {
        String hint;
        if (cardReaderUnavailable.get() != null) {
            // never invite a tap the reader cannot read
            hint = "读卡器故障，请等候收银员 / card reader not working: please wait for the cashier";
        } else {
            hint = p != null && p.priceFen() > 0
                    ? p.name() + " " + Yuan.format(p.priceFen()) + "：请刷卡 / tap card"
                    : "请等候收银员 / please wait for the cashier";
        }
        display.show(new Screen.Idle(statusBar(), cfg.get().terminal().merchantName(), hint));
    }

    void amount(long amountFen) {
        display.show(new Screen.Amount(statusBar(), amountFen));
    }

    /** @param accountId the holder's account, for the photo on the cashier's side (0: none) */
    void approved(String holder, long amountFen, long balanceAfterFen, long accountId) {
        display.show(new Screen.Approved(statusBar(), holder, amountFen, balanceAfterFen, photo(accountId)));
    }

    /** @param accountId the account the card or code named, for the holder's photo (0: unknown, no photo) */
    void declined(String message, long accountId) {
        display.show(new Screen.Declined(statusBar(), message, photo(accountId)));
    }

    /** The holder's approved photo, the placeholder when there is none, no region without a holder. */
    HolderPhoto photo(long accountId) {
        if (accountId <= 0) {
            return HolderPhoto.NONE;
        }
        return HolderPhoto.of(store.photos().of(accountId).orElse(null));
    }

    void qr(long amountFen, String payload, long secondsLeft) {
        display.show(new Screen.QrPayment(statusBar(), amountFen, payload, secondsLeft));
    }

    void message(String text) {
        display.show(new Screen.Message(statusBar(), text));
    }

    Screen current() {
        return display.current();
    }

    StatusBar statusBar() {
        boolean online = sync != null && sync.status().connected();
        long unsynced = store.backlog().count();
        return new StatusBar(cfg.get().terminal().label(), online, unsynced, LocalTime.now(clock));
    }
}
