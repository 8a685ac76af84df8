package com.onecard.pos.terminal.app;

import com.onecard.pos.display.Yuan;
import com.onecard.pos.terminal.journal.JournalEntry;
import com.onecard.pos.terminal.sale.SaleOutcome;
import com.onecard.pos.terminal.store.Account;
import com.onecard.pos.terminal.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * After a power cut the last sale may have been committed (the student charged) without its
 * beep. Within the reversal window, the screen and status say so at start, so the cashier does
 * not charge again and can reverse it if the meal was not served.
 */
final class LastSaleRecall {
    private static final Logger log = LoggerFactory.getLogger(LastSaleRecall.class);

    private LastSaleRecall() {
    }

    /** Terminal thread, at start. */
    static void recall(Store store, Duration reversalWindow, Clock clock, SaleOutcomes outcomes, Screens screens) {
        List<JournalEntry> tail = store.journal().recent(1);
        if (tail.isEmpty() || tail.get(0).kind() != JournalEntry.Kind.SALE) {
            return;
        }
        JournalEntry r = tail.get(0);
        if (clock.millis() - r.timeMs() > reversalWindow.toMillis()) {
            return;
        }
        String holder = store.accounts().accountById(r.accountId()).map(Account::holder).orElse("");
        outcomes.recalled(new SaleOutcome(r.saleId(), true, null, r.amountFen(), r.uidHex(), r.accountId(), holder, 0,
                r.seq(), r.mode().name().toLowerCase(), r.timeMs(), 0));
        log.info("last sale before this start: {} seq {} {} fen card {} was approved and recorded", r.saleId(),
                r.seq(), r.amountFen(), r.uidHex());
        screens.message("Last sale before restart: " + Yuan.format(r.amountFen()) + " " + holder + " was PAID ("
                + r.saleId() + ")");
    }
}
