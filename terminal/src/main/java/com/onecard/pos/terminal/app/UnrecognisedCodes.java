package com.onecard.pos.terminal.app;

import com.onecard.pos.terminal.sale.ScannedCode;
import com.onecard.pos.terminal.sale.ScannedCodeConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What a scanned code comes to on a terminal that accepts no payment code: when no sale is in
 * progress the customer display says it is not a payment code (until the next screen; a sale's
 * own screen is never replaced), and the log has one line with the code's length, never its text
 * (a payment code is a bearer credential). Counted for {@code posctl status}. Terminal thread.
 */
final class UnrecognisedCodes implements ScannedCodeConsumer {
    private static final Logger log = LoggerFactory.getLogger(UnrecognisedCodes.class);
    static final String MESSAGE = "不是支付码 / not a payment code";

    private final Consumer<String> show;
    private final BooleanSupplier idle;
    private volatile long count;

    /**
     * @param show puts a message on the customer display
     * @param idle true when no sale is in progress
     */
    UnrecognisedCodes(Consumer<String> show, BooleanSupplier idle) {
        this.show = show;
        this.idle = idle;
    }

    @Override
    public void onScannedCode(ScannedCode code) {
        count++;
        log.info("scanned code of {} chars at {}: not a payment code", code.text().length(), code.at());
        if (idle.getAsBoolean()) {
            show.accept(MESSAGE);
        }
    }

    /** Codes refused since start. */
    long count() {
        return count;
    }
}
