package com.onecard.pos.terminal.app;

import com.onecard.pos.sync.Outbox;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RefusedRow;
import com.onecard.pos.sync.proto.UploadError;
import com.onecard.pos.terminal.store.OutboxReader;
import com.onecard.pos.terminal.store.Store;

import java.util.List;

/** The journal as the sync client's outbox: reads on its own connection, acks posted to the terminal thread. */
public final class StoreOutbox implements Outbox {
    private final OutboxReader reader;
    private final Store store;
    private final TerminalLoop loop;
    private volatile long acked;
    private final java.util.concurrent.atomic.AtomicLong refusals = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong rowRefusals = new java.util.concurrent.atomic.AtomicLong();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StoreOutbox.class);

    public StoreOutbox(OutboxReader reader, Store store, TerminalLoop loop) {
        this.reader = reader;
        this.store = store;
        this.loop = loop;
        this.acked = store.ackedSeq();
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
            log.debug("forwarded: the center applied every sale up to seq {}", seq);
            acked = seq;
        }
        loop.execute(() -> store.acknowledge(seq));
    }

    @Override
    public void uploadRefused(UploadError e) {
        refusals.incrementAndGet();
        log.warn("upload refused by the center at seq {} ({}): {}; nothing skipped, the rows stay in the journal",
                e.getOffendingSeq(), e.getCode(), e.getMessage());
    }

    @Override
    public void rowsRefused(List<RefusedRow> refused) {
        for (RefusedRow r : refused) {
            rowRefusals.incrementAndGet();
            log.warn("the center refused journal row seq {} ({}): {}; kept at the center for the card office",
                    r.getSeq(), r.getCode(), r.getMessage());
        }
    }

    /** Rows the center acknowledged but refused to apply, since start. */
    long rowRefusals() {
        return rowRefusals.get();
    }

    long refusals() {
        return refusals.get();
    }

    @Override
    public long lastAcknowledged() {
        return acked;
    }
}
