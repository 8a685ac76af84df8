package com.onecard.pos.bench;

import com.onecard.pos.sync.Outbox;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.terminal.store.OutboxReader;
import com.onecard.pos.terminal.store.Store;

import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * The terminal's StoreOutbox logic (package-private in terminal.app), replicated: reads on the
 * OutboxReader's own connection, markSent and acknowledge posted to one "terminal" thread.
 */
final class BenchOutbox implements Outbox {
    private final OutboxReader reader;
    private final Store store;
    private final ExecutorService loop;
    private volatile long acked;
    /** Highest sequence whose acknowledgement is committed in the store. */
    volatile long committedAck;

    BenchOutbox(OutboxReader reader, Store store, ExecutorService loop) {
        this.reader = reader;
        this.store = store;
        this.loop = loop;
        this.acked = store.ackedSeq();
        this.committedAck = acked;
    }

    @Override
    public List<JournalRow> rowsAfter(long afterSeq, int max) {
        List<JournalRow> rows = reader.rowsAfter(afterSeq, max);
        if (!rows.isEmpty()) {
            long last = rows.get(rows.size() - 1).getSeq();
            loop.execute(() -> store.markSent(last));
        }
        return rows;
    }

    @Override
    public void acknowledged(long seq) {
        if (seq > acked) {
            acked = seq;
        }
        loop.execute(() -> {
            store.acknowledge(seq);
            committedAck = store.ackedSeq();
        });
    }

    @Override
    public long lastAcknowledged() {
        return acked;
    }
}
