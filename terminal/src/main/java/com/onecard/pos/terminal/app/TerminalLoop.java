package com.onecard.pos.terminal.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The terminal thread. It owns the sale state and every database write; readers, the sync
 * client, the control socket and timers post work to it. Work runs one task at a time, so
 * business state needs no locks.
 *
 * <p>Two queues: {@link #execute} (taps, cashier commands, timers) always runs before
 * {@link #background} (the center's downstream batches, acknowledgements, housekeeping), so a
 * tap waits at most for the one background task already running, never for a backlog of them.
 * And not even for that one, mostly: when a card answers the reader ({@link #holdBackground}) no
 * background task starts until its sale is decided ({@link #releaseBackground}) or the hold runs
 * out, so the task running then has the card's read (≈ 18 ms) to end before the sale needs the thread.
 * Checks on other threads (selftest, the daily full check) wait on the same hold between their steps
 * ({@link #awaitNoSale}, {@link SaleYield}), so their CPU goes after the sale, not into its card read.
 *
 * <p>A task that throws anything (an {@link Error} included) is logged and the thread goes on
 * with the next one; a periodic task keeps its schedule. Out of memory is not survived here: the
 * JVM kills itself ({@link DaemonJvm}) and systemd starts it again.
 */
public final class TerminalLoop implements Executor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TerminalLoop.class);
    private final Object lock = new Object();
    private final ArrayDeque<Runnable> urgent = new ArrayDeque<>();
    private final ArrayDeque<Runnable> background = new ArrayDeque<>();
    private final ScheduledExecutorService timer;
    private final Thread thread;
    private boolean closing;
    /** System.nanoTime() until which no background task starts; 0: none held. */
    private long holdUntil;
    private int saleWaiters;

    public TerminalLoop(String terminalId) {
        this.thread = new Thread(this::run, "terminal-" + terminalId);
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "terminal-timer-" + terminalId);
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        thread.start();
    }

    /** Runs {@code task} on the terminal thread, before any background work waiting. */
    @Override
    public void execute(Runnable task) {
        post(urgent, task);
    }

    /** Runs {@code task} on the terminal thread when no tap or command is waiting. */
    public void background(Runnable task) {
        post(background, task);
    }

    private void post(ArrayDeque<Runnable> queue, Runnable task) {
        synchronized (lock) {
            if (closing) {
                log.debug("terminal thread stopping; task dropped");
                return;
            }
            queue.addLast(task);
            lock.notifyAll();
        }
    }

    public <T> CompletableFuture<T> call(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** Runs {@code task} every {@code period} on the terminal thread; a tick waiting to run is not posted twice. */
    public void every(Duration period, Runnable task) {
        AtomicBoolean pending = new AtomicBoolean();
        timer.scheduleWithFixedDelay(() -> {
            if (pending.compareAndSet(false, true)) {
                execute(() -> {
                    pending.set(false);
                    task.run();
                });
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} as background work after {@code initial}, then every {@code period}; never posted twice. */
    public void everyInBackground(Duration initial, Duration period, Runnable task) {
        AtomicBoolean pending = new AtomicBoolean();
        timer.scheduleWithFixedDelay(() -> {
            if (pending.compareAndSet(false, true)) {
                background(() -> {
                    pending.set(false);
                    task.run();
                });
            }
        }, initial.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A card answered the reader: no background task starts until {@link #releaseBackground()}, or for at most
     * {@code max} (a sale that never ends must not starve them), and checks that yield to sales wait
     * ({@link #awaitNoSale}). A task already running goes on. Any thread.
     */
    public void holdBackground(Duration max) {
        synchronized (lock) {
            holdUntil = Math.max(1, System.nanoTime() + max.toNanos());
        }
    }

    /** The held-for sale is decided: background work and the checks waiting for it go on. Any thread. */
    public void releaseBackground() {
        synchronized (lock) {
            holdUntil = 0;
            lock.notifyAll();
        }
    }

    /**
     * Waits while a card is being sold (a {@link #holdBackground} not yet released nor run out), at most
     * {@code max}: checks that run on other threads ({@link SaleYield}: selftest, the daily full check) call it
     * between their steps so that their CPU goes after the sale's outcome, not into its card read. Returns at
     * once when no sale is held. Never on the terminal thread (the sale it waits for needs that thread).
     *
     * @return nanoseconds waited (0 when no sale was held)
     * @throws IllegalStateException on the terminal thread
     */
    public long awaitNoSale(Duration max) {
        if (onLoopThread()) {
            throw new IllegalStateException("awaitNoSale on the terminal thread would hold up the sale it waits for");
        }
        long t0 = System.nanoTime();
        long end = t0 + max.toNanos();
        synchronized (lock) {
            saleWaiters++;
            try {
                while (!closing) {
                    long now = System.nanoTime();
                    long held = holdUntil == 0 ? 0 : holdUntil - now;
                    long left = end - now;
                    if (held <= 0 || left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, Math.min(held, left));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                saleWaiters--;
            }
        }
        return System.nanoTime() - t0;
    }

    /** Threads in {@link #awaitNoSale} now (status, tests). */
    public int saleWaiters() {
        synchronized (lock) {
            return saleWaiters;
        }
    }

    /** Background tasks waiting (for status). */
    public int backgroundWaiting() {
        synchronized (lock) {
            return background.size();
        }
    }

    public boolean onLoopThread() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        while (true) {
            Runnable task;
            synchronized (lock) {
                while (urgent.isEmpty() && !closing) {
                    long held = holdUntil == 0 ? 0 : holdUntil - System.nanoTime();
                    if (!background.isEmpty() && held <= 0) {
                        break;
                    }
                    try {
                        if (background.isEmpty()) {
                            lock.wait();
                        } else {
                            TimeUnit.NANOSECONDS.timedWait(lock, held);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                task = urgent.pollFirst();
                if (task == null) {
                    task = background.pollFirst();
                }
                if (task == null) {
                    return; // closing and drained
                }
            }
            try {
                task.run();
            } catch (Throwable e) {
                log.error("terminal thread task failed; the terminal goes on with the next event", e);
            }
        }
    }

    /** Stops the timers, runs what is already queued (up to 5 s), then stops the thread. */
    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(5000);
            if (thread.isAlive()) {
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
    }
}
