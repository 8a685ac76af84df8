package com.onecard.pos.terminal.app;

import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.ReaderListener;
import com.onecard.pos.reader.ReaderState;
import com.onecard.pos.reader.ReaderStatus;
import com.onecard.pos.terminal.sale.SaleFlow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * The sale's entry from the card reader: taps go to the sale flow on the terminal thread, or
 * to a technician's reader test when one is waiting. Called on the reader thread.
 */
final class ReaderEvents implements ReaderListener {
    private static final Logger log = LoggerFactory.getLogger(ReaderEvents.class);
    /**
     * At most this long from a card answering to its sale's outcome, background work waits
     * (TerminalLoop#holdBackground), and so do selftest's next step and the chain walk's next batch (SaleYield).
     */
    static final java.time.Duration SALE_HOLD = java.time.Duration.ofMillis(500);
    private final TerminalLoop loop;
    private final SaleFlow flow;
    private volatile CompletableFuture<CardTap> capture;
    private final Runnable readerChanged;

    private final java.time.Clock clock;

    /** @param readerChanged runs on the terminal thread when the reader comes or goes (the idle screen follows it) */
    ReaderEvents(TerminalLoop loop, SaleFlow flow, java.time.Clock clock, Runnable readerChanged) {
        this.loop = loop;
        this.flow = flow;
        this.clock = clock;
        this.readerChanged = readerChanged;
    }

    /** The next tap goes to the returned future (posctl reader test) instead of the sale flow. */
    CompletableFuture<CardTap> captureNextTap() {
        CompletableFuture<CardTap> f = new CompletableFuture<>();
        capture = f;
        return f;
    }

    @Override
    public void onTap(CardTap tap) {
        CompletableFuture<CardTap> c = capture;
        if (c != null && !c.isDone()) {
            capture = null;
            c.complete(tap);
            return;
        }
        java.time.Instant reported = clock.instant();
        loop.execute(() -> {
            flow.onTap(tap, reported);
            // decided (SaleEffects released the hold), no sale taken, or a person to type a password: background
            // work goes on; only a sale waiting for the center's answer keeps it held until its outcome
            if (flow.state() != SaleFlow.State.AUTHORIZING) {
                loop.releaseBackground();
            }
        });
    }

    @Override
    public void onCardSeen(byte[] uid) {
        CompletableFuture<CardTap> c = capture;
        if (c != null && !c.isDone()) {
            return; // a technician's read, not a sale
        }
        // the sale that follows must find the terminal thread free: no background batch starts from now
        loop.holdBackground(SALE_HOLD);
        loop.execute(() -> flow.onCardSeen(uid));
    }

    @Override
    public void onStatus(ReaderStatus status) {
        if (status.state() == ReaderState.DISCONNECTED) {
            log.warn("reader {} disconnected: {}", status.port(), status.lastError());
        } else {
            log.info("reader {} {} {}", status.port(), status.state(), status.firmware());
        }
        loop.execute(readerChanged);
    }
}
