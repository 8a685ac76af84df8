package com.onecard.pos.center.sync;

/**
 * The pace of the bulk of replays (account states, card photos) on one center instance, in
 * changes per second for every replay of the instance together. A replay read from the database
 * and written as fast as the sockets take it uses every CPU of the instance (reading, encoding,
 * encrypting, decrypting the terminals' acknowledgements); online authorizations answered on the
 * same CPUs then wait for a core at every step, and their p99 during a fleet's reconnect grew
 * thirty-fold (docs/center.md, "A fleet reconnecting at once"). Paced, a replay leaves the rest of
 * the CPU to decisions and takes longer; nothing else about it changes (same changes, same order).
 *
 * <p>A replay asks for its changes in steps of {@link #STEP} before writing them; each step is
 * given the next free time on the instance's schedule, so replays running at once share the rate.
 * The replay's thread (a session lane, never an event loop) waits for that time. Unused time is
 * not saved up beyond one step: an idle instance does not then replay a burst at full speed.
 */
final class ReplayPace {
    /** Changes asked for at a time: one wait per step, not per change. */
    static final int STEP = 64;

    /** Where the pace reads the time and waits; the system's monotonic clock outside tests. */
    interface Ticker {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;
    }

    static final Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
        }
    };

    private final long changesPerSecond;
    private final Ticker ticker;
    /** When the next step may start on this instance's schedule (ticker ns). */
    private long nextFree;
    private boolean started;

    /** @param changesPerSecond replayed changes per second for the whole instance, at least 1 */
    ReplayPace(long changesPerSecond, Ticker ticker) {
        if (changesPerSecond < 1) {
            throw new IllegalArgumentException("replay changes per second must be at least 1: " + changesPerSecond);
        }
        this.changesPerSecond = changesPerSecond;
        this.ticker = ticker;
    }

    long changesPerSecond() {
        return changesPerSecond;
    }

    /**
     * Waits until the next {@link #STEP} changes may be written. InterruptedException when the
     * replay's thread is interrupted while waiting.
     */
    void step() throws InterruptedException {
        long wait = reserve(STEP);
        if (wait > 0) {
            ticker.sleepNanos(wait);
        }
    }

    /** Takes {@code n} changes' time on the schedule; returns how long to wait before writing them (ns). */
    synchronized long reserve(int n) {
        long now = ticker.nanoTime();
        long cost = n * 1_000_000_000L / changesPerSecond;
        // Time not used since the last step is not saved up beyond one step's worth.
        long start = started ? Math.max(nextFree, now - cost) : now;
        started = true;
        nextFree = start + cost;
        return Math.max(0, start - now);
    }
}
