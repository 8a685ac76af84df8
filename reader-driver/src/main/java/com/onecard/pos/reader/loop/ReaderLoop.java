package com.onecard.pos.reader.loop;

import com.onecard.pos.reader.CardReaderDriver;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.ReaderConfig;
import com.onecard.pos.reader.ReaderListener;
import com.onecard.pos.reader.ReaderState;
import com.onecard.pos.reader.ReaderStatus;
import com.onecard.pos.reader.model.CardReaderModel;
import com.onecard.pos.reader.model.ReaderModels;
import com.onecard.pos.reader.serial.ReaderDisconnectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Owns one card reader on a thread named {@code reader}: opens the driver, polls continuously,
 * and reconnects with exponential backoff (100 ms doubling to 2 s) after the port goes missing,
 * the device is unplugged or the chip stops answering.
 * <p>
 * Reports each presentation of a card once ({@link ReaderListener#onTap}); a card left on the
 * reader is not reported again until it has been absent for {@value #ABSENT_POLLS} consecutive
 * polls ({@link ReaderListener#onRemoved}). The card believed present survives a reconnect, so
 * an unplug never turns one presentation into two taps. Listener calls come from the reader thread.
 */
public final class ReaderLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReaderLoop.class);

    static final int ABSENT_POLLS = 2;
    /** Consecutive failed polls after which the chip counts as stalled and the port is reopened. */
    static final int STALL_POLLS = 3;
    /**
     * Clean polling after which DEGRADED returns to OK: at least this many polls and this long (a poll
     * lasts from ≈ 2 ms with a card on the reader to a PN532's whole listen without one).
     */
    static final int RECOVER_POLLS = 3;
    static final Duration RECOVER_AFTER = Duration.ofSeconds(1);
    /**
     * After a poll that saw a card (or failed): short, because it adds to tap latency. A poll that
     * found no card after listening at least this long (a PN532 spends its activation attempts
     * listening, an RDM6300 driver waits for bytes) is followed at once by the next, because a card
     * placed between two polls waits for the next one; a poll that came back empty sooner is
     * followed by the pause, so a driver that does not wait can never spin the CPU.
     */
    static final Duration POLL_PAUSE = Duration.ofMillis(2);
    static final Duration BACKOFF_MIN = Duration.ofMillis(100);
    static final Duration BACKOFF_MAX = Duration.ofSeconds(2);

    private final ReaderConfig config;
    private final ReaderListener listener;
    private final Clock clock;
    private final DriverFactory factory;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    private volatile ReaderStatus status;
    private volatile CardReaderDriver driver;
    private volatile boolean started;
    private long taps;
    private long errors;
    /** Dropped by earlier drivers (a reconnect opens a new one), plus the current driver's count. */
    private long implausibleBefore;
    private long implausible;
    private byte[] presentUid;
    private int absentPolls;

    /** The daemon's entry point: the registered card reader model named by {@code config.driver()} on {@code config.port()}. */
    public ReaderLoop(ReaderConfig config, ReaderListener listener, Clock clock) {
        this(config, listener, clock, defaultFactory(config));
    }

    public ReaderLoop(ReaderConfig config, ReaderListener listener, Clock clock, DriverFactory factory) {
        this.config = config;
        this.listener = listener;
        this.clock = clock;
        this.factory = factory;
        this.status = new ReaderStatus(ReaderState.DISCONNECTED, config.port(), "", "not started", clock.instant(), 0, 0, 0);
        this.thread = new Thread(this::run, "reader");
        this.thread.setDaemon(true);
    }

    /** The registered model named by {@code config.driver()}; throws IllegalArgumentException naming the models. */
    private static DriverFactory defaultFactory(ReaderConfig config) {
        CardReaderModel model;
        try {
            model = ReaderModels.registry().cardReader(config.driver());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reader.driver: " + e.getMessage(), e);
        }
        return model::open;
    }

    /** Starts the reader thread; a second call does nothing. */
    public synchronized void start() {
        if (started || stop.getCount() == 0) {
            return;
        }
        started = true;
        thread.start();
    }

    public ReaderStatus status() {
        return status;
    }

    /** Stops the thread and closes the port; idempotent. Waits up to 3 s for the thread. */
    @Override
    public void close() {
        stop.countDown();
        CardReaderDriver d = driver;
        if (d != null) {
            // unblocks a read in progress
            d.close();
        }
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean running() {
        return stop.getCount() > 0;
    }

    private void run() {
        ReconnectBackoff backoff = new ReconnectBackoff(BACKOFF_MIN, BACKOFF_MAX);
        while (running()) {
            long t0 = System.nanoTime();
            try (CardReaderDriver d = factory.open(config)) {
                driver = d;
                if (!running()) {
                    break;
                }
                backoff.reset();
                setStatus(ReaderState.OK, d.firmware(), "");
                pollUntilLost(d);
            } catch (IOException e) {
                errors++;
                String msg = e.getMessage() + " (after " + (System.nanoTime() - t0) / 1_000_000 + " ms)";
                log.debug("reader on {} lost: {}", config.port(), msg);
                if (running()) {
                    setStatus(ReaderState.DISCONNECTED, status.firmware(), msg);
                }
            } catch (RuntimeException | LinkageError e) {
                // e.g. jSerialComm's native library cannot load from a noexec tmp: report, keep retrying
                errors++;
                log.debug("reader on {} failed", config.port(), e);
                setStatus(ReaderState.DISCONNECTED, status.firmware(), "unexpected: " + e);
            } finally {
                driver = null;
                implausibleBefore = implausible;
            }
            if (pause(backoff.next())) {
                break;
            }
        }
        setStatus(ReaderState.DISCONNECTED, status.firmware(), "stopped");
    }

    private void pollUntilLost(CardReaderDriver d) throws IOException {
        int failedPolls = 0;
        int cleanPolls = 0;
        long cleanSince = clock.millis();
        long seenErrors = d.errors();
        while (running()) {
            boolean listened = false;
            try {
                long began = System.nanoTime();
                Optional<CardTap> seen = d.poll(presentUid, clock.instant(), this::cardSeen);
                failedPolls = 0;
                listened = seen.isEmpty() && System.nanoTime() - began >= POLL_PAUSE.toNanos();
                onSighting(seen);
            } catch (ReaderDisconnectedException e) {
                throw e;
            } catch (IOException e) {
                if (!running()) {
                    return;
                }
                errors++;
                cleanPolls = 0;
                setStatus(ReaderState.DEGRADED, d.firmware(), e.getMessage());
                if (++failedPolls >= STALL_POLLS) {
                    throw new IOException("reader " + d.firmware() + " on " + d.port() + " stopped answering: " + e.getMessage(), e);
                }
            }
            if (implausibleBefore + d.implausible() != implausible) {
                implausible = implausibleBefore + d.implausible();
                publishStatus();
            }
            long linkErrors = d.errors();
            if (linkErrors > seenErrors) {
                errors += linkErrors - seenErrors;
                seenErrors = linkErrors;
                cleanPolls = 0;
                publishStatus();
                if (status.state() == ReaderState.OK) {
                    setStatus(ReaderState.DEGRADED, d.firmware(), "frame errors or retries on " + d.port());
                }
            } else if (failedPolls == 0 && status.state() == ReaderState.DEGRADED) {
                if (cleanPolls++ == 0) {
                    cleanSince = clock.millis();
                }
                if (cleanPolls >= RECOVER_POLLS && clock.millis() - cleanSince >= RECOVER_AFTER.toMillis()) {
                    setStatus(ReaderState.OK, d.firmware(), status.lastError());
                }
            }
            if (listened ? !running() : pause(POLL_PAUSE)) {
                return;
            }
        }
    }

    private void onSighting(Optional<CardTap> seen) {
        if (seen.isPresent()) {
            CardTap tap = seen.get();
            if (presentUid != null && Arrays.equals(presentUid, tap.uid())) {
                absentPolls = 0;
                return;
            }
            if (presentUid != null) {
                removed();
            }
            presentUid = tap.uid();
            absentPolls = 0;
            taps++;
            publishStatus();
            log.debug("tap {} on {}: {}", tap.uidHex(), config.port(), tap.campusRead());
            notify(() -> listener.onTap(tap));
        } else if (presentUid != null && ++absentPolls >= ABSENT_POLLS) {
            removed();
        }
    }

    /** A new card answered; its sectors are being read (its tap follows). */
    private void cardSeen(byte[] uid) {
        notify(() -> listener.onCardSeen(uid));
    }

    private void removed() {
        byte[] uid = presentUid;
        presentUid = null;
        absentPolls = 0;
        notify(() -> listener.onRemoved(uid));
    }

    private void setStatus(ReaderState state, String firmware, String lastError) {
        ReaderStatus old = status;
        boolean changed = old.state() != state;
        status = new ReaderStatus(state, config.port(), firmware, lastError,
                changed ? clock.instant() : old.since(), taps, errors, implausible);
        if (changed) {
            log.debug("reader on {}: {} -> {} {}", config.port(), old.state(), state, lastError);
            ReaderStatus s = status;
            notify(() -> listener.onStatus(s));
        }
    }

    private void publishStatus() {
        ReaderStatus old = status;
        status = new ReaderStatus(old.state(), old.port(), old.firmware(), old.lastError(), old.since(), taps, errors, implausible);
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            // a faulty listener must not kill the reader thread
            log.debug("reader listener threw", e);
        }
    }

    /** Waits, returning true when stopped meanwhile. */
    private boolean pause(Duration d) {
        try {
            return stop.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
