package com.onecard.pos.bench;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.Outbox;
import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A terminal's journal of card sales, sealed with its MAC key, in memory. Rows are offered only up
 * to the sequence released so far: the bench connects every terminal first, then releases a round
 * of rows to all of them at once and waits until each has them acknowledged.
 */
final class SealedOutbox implements Outbox {
    private final List<JournalRow> rows = new ArrayList<>();
    private final AtomicLong acked = new AtomicLong();
    private volatile long releasedUpTo;

    /** {@code sales} sales of 1 fen spread over accounts {@code firstAccount .. firstAccount + accounts - 1}. */
    SealedOutbox(byte[] secret, String terminalId, int sales, long firstAccount, int accounts) {
        JournalMac mac = new JournalMac(secret);
        byte[] prev = JournalMac.genesis();
        for (int i = 0; i < sales; i++) {
            long acc = firstAccount + (i * 7L + terminalId.hashCode()) % accounts;
            JournalRow r = mac.seal(prev, JournalRow.newBuilder().setSeq(i + 1L).setKind(RowKind.SALE)
                    .setSaleId(terminalId + "-" + (i + 1)).setTimeMs(1_700_000_000_000L + i)
                    .setCardUid(ByteString.copyFrom(CenterBench.uid(Math.floorMod(acc, 1 << 16))))
                    .setAccountId(acc).setAmountFen(1).setSubsidyFen(1).setMode(AuthMode.OFFLINE).setMealPeriod("lunch")
                    .build());
            prev = r.getMac().toByteArray();
            rows.add(r);
        }
    }

    /** Offers every row. */
    void release() {
        releaseUpTo(rows.size());
    }

    /** Offers the rows up to {@code seq} (at most all of them). */
    void releaseUpTo(long seq) {
        releasedUpTo = Math.min(seq, rows.size());
    }

    /** Waits until the rows up to {@code seq} are acknowledged; false when {@code timeoutMs} passed first. */
    boolean awaitAcked(long seq, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        synchronized (this) {
            while (acked.get() < seq) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
        }
        return true;
    }

    @Override
    public List<JournalRow> rowsAfter(long afterSeq, int max) {
        int upTo = (int) releasedUpTo;
        int from = (int) Math.min(afterSeq, upTo);
        return List.copyOf(rows.subList(from, Math.min(upTo, from + max)));
    }

    @Override
    public void acknowledged(long seq) {
        acked.accumulateAndGet(seq, Math::max);
        synchronized (this) {
            notifyAll();
        }
    }

    @Override
    public long lastAcknowledged() {
        return acked.get();
    }
}
