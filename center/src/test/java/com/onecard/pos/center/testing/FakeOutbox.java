package com.onecard.pos.center.testing;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.Outbox;
import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** An in-memory journal sealed with the terminal's MAC key, with fault switches. */
public final class FakeOutbox implements Outbox {
    private final JournalMac mac;
    private final List<JournalRow> rows = new ArrayList<>();
    private final AtomicLong acked = new AtomicLong();
    private byte[] lastMac = JournalMac.genesis();
    /** When set, the next read ignores afterSeq and re-sends from seq 1: a duplicate delivery. */
    public final AtomicBoolean replayFromStartOnce = new AtomicBoolean();
    public final AtomicLong reads = new AtomicLong();

    public FakeOutbox(byte[] secret) {
        this.mac = new JournalMac(secret);
    }

    public synchronized JournalRow append(JournalRow.Builder row) {
        JournalRow sealed = mac.seal(lastMac, row.setSeq(rows.size() + 1L).build());
        lastMac = sealed.getMac().toByteArray();
        rows.add(sealed);
        return sealed;
    }

    /** Appends {@code n} card sales of {@code fen} each, all from the subsidy purse. */
    public synchronized void appendSales(int n, long accountId, byte[] uid, long fen) {
        for (int i = 0; i < n; i++) {
            append(sale(accountId, uid, fen));
        }
    }

    public static JournalRow.Builder sale(long accountId, byte[] uid, long fen) {
        return JournalRow.newBuilder().setKind(RowKind.SALE).setSaleId("s-" + System.nanoTime())
                .setTimeMs(1_700_000_000_000L).setCardUid(ByteString.copyFrom(uid)).setAccountId(accountId)
                .setAmountFen(fen).setSubsidyFen(fen).setCashFen(0).setMode(AuthMode.OFFLINE).setMealPeriod("lunch");
    }

    public synchronized List<JournalRow> all() {
        return List.copyOf(rows);
    }

    @Override
    public synchronized List<JournalRow> rowsAfter(long afterSeq, int max) {
        reads.incrementAndGet();
        long from = replayFromStartOnce.getAndSet(false) ? 0 : afterSeq;
        int start = (int) Math.min(from, rows.size());
        int end = Math.min(rows.size(), start + max);
        return new ArrayList<>(rows.subList(start, end));
    }

    @Override
    public void acknowledged(long seq) {
        acked.accumulateAndGet(seq, Math::max);
    }

    @Override
    public long lastAcknowledged() {
        return acked.get();
    }
}
