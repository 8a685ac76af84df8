package com.onecard.pos.terminal.store;

import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The backlog a terminal reports to the card office, read on the outbox reader's own SQLite connection. */
class OutboxReaderTest {
    @TempDir
    Path dir;

    @Test
    void theUnsentRowsAreCountedSummedInFenAndAgedFromTheClock() {
        try (Store s = Store.open(dir.resolve("t.db"), StoreTest.SECRET);
             OutboxReader r = new OutboxReader(dir.resolve("t.db"))) {
            assertThat(r.unsent(0, 50_000)).isEqualTo(new OutboxReader.Unsent(0, 0, 0));
            s.append(StoreTest.sale(7, 100, 0).toBuilder().setTimeMs(10_000).build());
            s.append(StoreTest.sale(7, 200, 50).toBuilder().setTimeMs(20_000).build());
            s.append(StoreTest.sale(7, 300, 0).toBuilder().setTimeMs(30_000).build());
            s.append(StoreTest.sale(7, 400, 0).toBuilder().setTimeMs(40_000).build());
            // seq 1 acknowledged: three sales unsent, 250 + 300 + 400 fen, the oldest made at 20 000 ms
            s.acknowledge(1, 45_000);
            assertThat(r.unsent(s.ackedSeq(), 50_000)).isEqualTo(new OutboxReader.Unsent(3, 950, 30_000));
            // a reversal of the 300 fen sale nets it out of the money, not out of the count
            JournalRow sold = r.rowsAfter(2, 1).get(0);
            s.append(sold.toBuilder().setKind(RowKind.REVERSAL).setReversesSeq(sold.getSeq()).setTimeMs(48_000)
                    .clearMac().clearPrevMac().build());
            assertThat(r.unsent(s.ackedSeq(), 50_000)).isEqualTo(new OutboxReader.Unsent(4, 650, 30_000));
            // the store's own figure (terminal thread) agrees on the money
            assertThat(s.backlog().sumFen()).isEqualTo(650);
            s.acknowledge(5, 51_000);
            assertThat(r.unsent(s.ackedSeq(), 60_000)).isEqualTo(new OutboxReader.Unsent(0, 0, 0));
        }
    }
}
