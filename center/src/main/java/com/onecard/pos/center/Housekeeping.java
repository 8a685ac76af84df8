package com.onecard.pos.center;

import com.onecard.pos.center.ledger.Holds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The ledger's periodic clean-up on one instance: holds that stopped counting more than the
 * retention ago are deleted ({@link Holds#prune}). Every instance runs it; they never wait for
 * each other (the delete skips rows another instance is deleting). A failure (database away) is
 * logged and tried again at the next round.
 */
public final class Housekeeping implements AutoCloseable {
    /** How often the clean-up runs; the first round runs this long after start, off the start path. */
    public static final Duration EVERY = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final Holds holds;
    private final Duration holdRetention;
    private final ScheduledExecutorService timer;

    public Housekeeping(Holds holds, Duration holdRetention) {
        this.holds = holds;
        this.holdRetention = holdRetention;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "center-housekeeping");
            t.setDaemon(true);
            return t;
        });
    }

    public Housekeeping start(Duration every) {
        timer.scheduleWithFixedDelay(this::runOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One round; returns the holds deleted (0 when it failed). */
    public long runOnce() {
        long started = System.nanoTime();
        try {
            long n = holds.prune(holdRetention);
            if (n > 0) {
                log.info("housekeeping: deleted {} holds that stopped counting more than {} h ago, in {} ms", n,
                        holdRetention.toHours(), (System.nanoTime() - started) / 1_000_000);
            }
            return n;
        } catch (RuntimeException e) {
            log.warn("housekeeping: pruning holds failed after {} ms, trying again in {} min: {}",
                    (System.nanoTime() - started) / 1_000_000, EVERY.toMinutes(), e.getMessage());
            return 0;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
