package com.onecard.pos.center.sync;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs one session's tasks one after the other, in submission order, on a shared pool: a
 * terminal's batches are applied in the order they arrived without a thread per terminal.
 */
final class SerialExecutor implements Executor {
    private final Executor pool;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        schedule();
    }

    private void schedule() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                tasks.clear();
                running = false;
            }
            throw e;
        }
    }

    private void drain() {
        Runnable next;
        synchronized (this) {
            next = tasks.poll();
            if (next == null) {
                running = false;
                return;
            }
        }
        try {
            next.run();
        } finally {
            boolean more;
            synchronized (this) {
                more = !tasks.isEmpty();
                if (!more) {
                    running = false;
                }
            }
            if (more) {
                try {
                    schedule();
                } catch (RejectedExecutionException stopping) {
                    // the pool is shutting down; the session is being closed with it
                }
            }
        }
    }
}
