package com.onecard.pos.terminal.app;

import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Keeps the store's journal to the rows of the last {@code journal.retention-days}: rows the
 * center acknowledged before that move to the monthly archive files, {@value #CHUNK} at a time as
 * background work on the terminal thread (a tap goes between two chunks). Runs a minute after
 * start, then hourly.
 */
final class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    static final int CHUNK = 500;

    private final Store store;
    private final TerminalLoop loop;
    private final Supplier<TerminalConfig> cfg;
    private final Clock clock;

    Retention(Store store, TerminalLoop loop, Supplier<TerminalConfig> cfg, Clock clock) {
        this.store = store;
        this.loop = loop;
        this.cfg = cfg;
        this.clock = clock;
    }

    void start() {
        loop.everyInBackground(Duration.ofMinutes(1), Duration.ofHours(1), this::step);
    }

    /** One chunk; posts the next behind any waiting tap while more rows are due. Terminal thread. */
    void step() {
        long cutoff = clock.millis() - Duration.ofDays(cfg.get().journal().retentionDays()).toMillis();
        try {
            int moved = store.archive(store.archivableThrough(cutoff), CHUNK);
            if (moved == CHUNK) {
                loop.background(this::step);
            }
        } catch (StoreException e) {
            log.warn("journal retention: {}; rows stay in the store, tried again in an hour", e.getMessage());
        }
    }
}
