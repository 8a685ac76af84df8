package com.onecard.pos.terminal.app;

import com.onecard.pos.terminal.store.JournalVerifier;
import com.onecard.pos.terminal.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The journal's MAC chain checked off the terminal thread: from the last checkpoint for every
 * selftest (the rows since the last check), and in full once a day. The database file's own
 * integrity check ({@code PRAGMA quick_check}, every page of the file: ≈ 0.1 s of a core at 300,000
 * rows here, it grows with the journal) runs only with the full walk (daily, {@code selftest --full}):
 * the health timer's selftest every minute reports the last one, so it costs the same at any size. A clean check moves the
 * checkpoint (a small write, posted behind taps). Never on the terminal thread, never holding the
 * writer's lock: a check takes CPU, not the sale's turn.
 */
final class ChainCheck implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChainCheck.class);
    static final Duration FULL_EVERY = Duration.ofHours(24);

    private final JournalVerifier verifier;
    private final Store store;
    private final TerminalLoop loop;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    /** A clean check moves the checkpoint at most this often (a write on the terminal thread each time). */
    static final Duration SAVE_EVERY = Duration.ofSeconds(30);
    private volatile long lastSaveNanos = System.nanoTime() - SAVE_EVERY.toNanos();
    private volatile JournalVerifier.Report lastFull;
    private volatile String lastIntegrity;
    private volatile Instant lastIntegrityAt;
    private final java.util.concurrent.atomic.AtomicLong integrityChecks = new java.util.concurrent.atomic.AtomicLong();
    private volatile Instant lastFullAt;

    private final JournalVerifier.Report atStart;

    /** @param atStart the check the start made (from the checkpoint, on the writer before the terminal thread ran) */
    ChainCheck(JournalVerifier verifier, Store store, TerminalLoop loop, Clock clock, String terminalId,
               JournalVerifier.Report atStart) {
        this.atStart = atStart;
        this.verifier = verifier;
        this.store = store;
        this.loop = loop;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "journal-verifier-" + terminalId);
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /** Schedules the daily full walk, the first one a day after start (start itself checks from the checkpoint). */
    void start() {
        thread.scheduleWithFixedDelay(() -> full(new SaleYield(loop, SaleYield.DAILY_BUDGET)),
                FULL_EVERY.toMillis(), FULL_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * From the last checkpoint to the head; a clean result moves the checkpoint. Any thread but the terminal's.
     * Between batches of rows it waits while a card is being sold ({@code yield}).
     */
    JournalVerifier.Report fromCheckpoint(SaleYield yield) {
        var r = verifier.fromCheckpoint(yield::pause);
        settle(r, "since the last check");
        return r;
    }

    /**
     * The whole chain in this file, after the file's integrity check. Any thread but the terminal's. It waits
     * while a card is being sold ({@code yield}) before the integrity check and between batches of the walk;
     * the integrity check itself is one SQLite statement (≈ 0.1 s of a core at 300,000 rows) that cannot pause:
     * a tap that comes during it shares the CPU with it, once a day.
     */
    JournalVerifier.Report full(SaleYield yield) {
        yield.pause();
        String qc = integrityCheck();
        if (!qc.equals("ok")) {
            log.error("database file check failed: {}; keep the file for the card center (docs/operations.md)", qc);
        }
        yield.pause();
        var r = verifier.full(yield::pause);
        lastFull = r;
        lastFullAt = clock.instant();
        settle(r, "in full");
        return r;
    }

    /**
     * {@code PRAGMA quick_check} of the whole file now, on the verifier's read-only connection: "ok" or
     * SQLite's list of problems. Reads every page, so only the daily check and {@code selftest --full}
     * run it. Any thread but the terminal's.
     */
    String integrityCheck() {
        String r = verifier.quickCheck();
        integrityChecks.incrementAndGet();
        lastIntegrity = r;
        lastIntegrityAt = clock.instant();
        return r;
    }

    /** The last {@link #integrityCheck()}'s answer, null when none ran since start. */
    String lastIntegrity() {
        return lastIntegrity;
    }

    Instant lastIntegrityAt() {
        return lastIntegrityAt;
    }

    /** How many whole-file checks ran since start (status, tests). */
    long integrityChecks() {
        return integrityChecks.get();
    }

    JournalVerifier.Report atStart() {
        return atStart;
    }

    JournalVerifier.Report lastFull() {
        return lastFull;
    }

    Instant lastFullAt() {
        return lastFullAt;
    }

    private void settle(JournalVerifier.Report r, String how) {
        if (r.ok()) {
            log.debug("journal verified {}: {} rows up to {} in {} ms", how, r.rows(), r.head(), r.ms());
            long now = System.nanoTime();
            if (r.head().seq() > r.from().seq() && now - lastSaveNanos >= SAVE_EVERY.toNanos()) {
                lastSaveNanos = now;
                loop.background(() -> store.saveCheckpoint(r.head()));
            }
        } else {
            log.error("journal verification {} failed: {}; keep the file for the card center (docs/operations.md)", how, r.problem());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        verifier.close();
    }
}
