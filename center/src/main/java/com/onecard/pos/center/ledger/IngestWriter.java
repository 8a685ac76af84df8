package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.LedgerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An instance's one ingest writer (group commit): upload batches queue here, and one thread,
 * {@code center-ingest-writer}, takes every batch waiting and has them written together in one
 * transaction, so many terminals' batches share one set of account locks and one WAL flush.
 * Each batch's future completes after that commit, in the order the batches were queued.
 *
 * <p>When a group's transaction fails nothing of it was applied. If the database is unreachable
 * every batch of the group fails (the terminals resend after reconnecting); otherwise each batch
 * is written again alone, so a batch the database refuses fails alone and never takes the others
 * with it, however often its terminal resends it.
 */
final class IngestWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestWriter.class);

    /** At most this many batches in one group transaction. */
    static final int GROUP_MAX_BATCHES = 64;
    /** A group takes no further batch once it holds this many rows (a single larger batch is one group). */
    static final int GROUP_MAX_ROWS = 10_000;
    /** How long {@link #close} waits for the group being written. */
    private static final Duration STOP = Duration.ofSeconds(10);

    /** Writes batches in one transaction; results in the order given. Throws when the transaction failed. */
    interface GroupWrite {
        List<IngestResult> write(List<Ingest.Upload> uploads);
    }

    /** What to do with a batch's result after its group committed, before its caller gets it. */
    interface Settle {
        IngestResult settle(Ingest.Upload upload, IngestResult result);
    }

    private record Waiting(Ingest.Upload upload, CompletableFuture<IngestResult> result) {
    }

    private final GroupWrite groupWrite;
    private final Settle settle;
    private final LinkedBlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
    private Thread thread;
    private boolean closed;

    IngestWriter(GroupWrite groupWrite, Settle settle) {
        this.groupWrite = groupWrite;
        this.settle = settle;
    }

    /** Queues a batch; the writer thread starts with the first one. */
    synchronized CompletableFuture<IngestResult> submit(Ingest.Upload upload) {
        CompletableFuture<IngestResult> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(stopping(upload));
            return f;
        }
        if (thread == null) {
            thread = new Thread(this::loop, "center-ingest-writer");
            thread.setDaemon(true);
            thread.start();
        }
        queue.add(new Waiting(upload, f));
        return f;
    }

    /** Stops after the group being written; batches still waiting fail (their terminals resend). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(STOP.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failWaiting();
    }

    /** Writes {@code uploads} as one group on the calling thread; one completed future per upload, in order. */
    List<CompletableFuture<IngestResult>> writeNow(List<Ingest.Upload> uploads) {
        List<Waiting> group = new ArrayList<>();
        for (Ingest.Upload u : uploads) {
            group.add(new Waiting(u, new CompletableFuture<>()));
        }
        write(group);
        return group.stream().map(Waiting::result).toList();
    }

    private static LedgerException stopping(Ingest.Upload u) {
        return new LedgerException("ingesting " + u.rows().size() + " rows of terminal " + u.terminalId()
                + ": the center is stopping");
    }

    private void failWaiting() {
        for (Waiting w; (w = queue.poll()) != null; ) {
            w.result().completeExceptionally(stopping(w.upload()));
        }
    }

    private void loop() {
        List<Waiting> group = new ArrayList<>();
        while (true) {
            try {
                Waiting first = queue.take();
                group.add(first);
                int rows = first.upload().rows().size();
                for (Waiting next; group.size() < GROUP_MAX_BATCHES && (next = queue.peek()) != null
                        && rows + next.upload().rows().size() <= GROUP_MAX_ROWS; ) {
                    group.add(queue.poll());
                    rows += next.upload().rows().size();
                }
                write(group);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | Error e) {
                log.error("ingest writer: a group of {} batches failed: {}", group.size(), e.getMessage(), e);
                group.forEach(w -> w.result().completeExceptionally(e));
            } finally {
                group.clear();
            }
            synchronized (this) {
                if (closed) {
                    break;
                }
            }
        }
        failWaiting();
    }

    private void write(List<Waiting> group) {
        List<IngestResult> results;
        try {
            results = groupWrite.write(group.stream().map(Waiting::upload).toList());
        } catch (RuntimeException e) {
            if (group.size() > 1 && !unreachable(e)) {
                log.warn("ingest: a group of {} batches failed ({}); writing each of them alone", group.size(),
                        e.getMessage());
                for (Waiting w : group) {
                    write(List.of(w));
                }
            } else {
                group.forEach(w -> w.result().completeExceptionally(e));
            }
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            Waiting w = group.get(i);
            try {
                w.result().complete(settle.settle(w.upload(), results.get(i)));
            } catch (RuntimeException e) {
                // Its batch changed nothing (only a refused batch is settled); the terminal resends.
                w.result().completeExceptionally(e);
            }
        }
    }

    /** The database cannot be reached or is shutting down: writing the batches one by one would fail as well. */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
