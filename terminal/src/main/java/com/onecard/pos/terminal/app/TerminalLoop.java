package com.onecard.pos.terminal.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The terminal thread. It owns the sale state and every database write; readers, the sync
 * client, the control socket and timers post work to it. Work runs in order, one at a time,
 * so business state needs no locks. A task that throws anything (an {@link Error} included) is
 * logged and the thread goes on with the next one; a periodic task keeps its schedule. Out of
 * memory is not survived here: the daemon runs with {@code -XX:+ExitOnOutOfMemoryError} and
 * systemd starts it again.
 */
public final class TerminalLoop implements Executor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TerminalLoop.class);
    private final ScheduledExecutorService exec;
    private volatile Thread thread;

    public TerminalLoop(String terminalId) {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "terminal-" + terminalId);
            thread = t;
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        this.exec = e;
    }

    @Override
    public void execute(Runnable task) {
        exec.execute(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                log.error("terminal thread task failed; the terminal goes on with the next event", e);
            }
        });
    }

    public <T> CompletableFuture<T> call(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        exec.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    public void every(Duration period, Runnable task) {
        exec.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                // an escaping throwable would cancel the schedule for good, silently
                log.error("terminal timer task failed; it runs again at its next period", e);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean onLoopThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void close() {
        exec.shutdown();
        try {
            if (!exec.awaitTermination(5, TimeUnit.SECONDS)) {
                exec.shutdownNow();
            }
        } catch (InterruptedException e) {
            exec.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
