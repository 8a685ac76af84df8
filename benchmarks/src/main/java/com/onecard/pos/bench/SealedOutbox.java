package com.onecard.pos.bench;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.Outbox;
import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** A terminal's journal of card sales, sealed with its MAC key, in memory; counts down when all are acked. */
final class SealedOutbox implements Outbox {
    private final List<JournalRow> rows = new ArrayList<>();
    private final AtomicLong acked = new AtomicLong();
    final CountDownLatch done = new CountDownLatch(1);
    /** Rows are offered only once released: the bench connects every terminal first, then times the upload. */
    private volatile boolean released;

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

    void release() {
        released = true;
    }

    @Override
    public List<JournalRow> rowsAfter(long afterSeq, int max) {
        if (!released) {
            return List.of();
        }
        int from = (int) Math.min(afterSeq, rows.size());
        return List.copyOf(rows.subList(from, Math.min(rows.size(), from + max)));
    }

    @Override
    public void acknowledged(long seq) {
        if (acked.accumulateAndGet(seq, Math::max) >= rows.size()) {
            done.countDown();
        }
    }

    @Override
    public long lastAcknowledged() {
        return acked.get();
    }
}
