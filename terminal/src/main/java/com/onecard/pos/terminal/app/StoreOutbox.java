package com.onecard.pos.terminal.app;

import com.onecard.pos.sync.Outbox;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RefusedRow;
import com.onecard.pos.sync.proto.UploadError;
import com.onecard.pos.terminal.store.OutboxReader;
import com.onecard.pos.terminal.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The journal as the sync client's outbox: reads on its own connection and writes nothing;
 * acknowledgements go to the terminal thread, coalesced (only the highest matters), behind taps.
 */
public final class StoreOutbox implements Outbox {
    private static final Logger log = LoggerFactory.getLogger(StoreOutbox.class);
    private final OutboxReader reader;
    private final Store store;
    private final TerminalLoop loop;
    private final Clock clock;
    private volatile long acked;
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong ackToWrite = new AtomicLong();
    private final AtomicBoolean ackPosted = new AtomicBoolean();
    private final AtomicLong rowRefusals = new AtomicLong();

    public StoreOutbox(OutboxReader reader, Store store, TerminalLoop loop, Clock clock) {
        this.reader = reader;
        this.store = store;
        this.loop = loop;
        this.clock = clock;
        this.acked = store.ackedSeq();
    }

    @Override
    public List<JournalRow> rowsAfter(long afterSeq, int max) {
        return reader.rowsAfter(afterSeq, max);
    }

    @Override
    public void acknowledged(long seq) {
        if (seq > acked) {
            log.debug("forwarded: the center applied every sale up to seq {}", seq);
            acked = seq;
        }
        ackToWrite.accumulateAndGet(seq, Math::max);
        if (ackPosted.compareAndSet(false, true)) {
            loop.background(() -> {
                ackPosted.set(false);
                store.acknowledge(ackToWrite.get(), clock.millis());
            });
        }
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
