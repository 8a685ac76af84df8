package com.onecard.pos.terminal.app;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.journal.HmacJournalSealer;
import com.onecard.pos.terminal.store.JournalVerifier;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.testutil.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The chain check (selftest's store step, the daily full check) waits for a sale between batches of journal rows. */
class ChainCheckYieldsTest {
    static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    static final int ROWS = JournalVerifier.BATCH_ROWS * 2 + 10; // two full batches, then the rest

    @TempDir
    Path dir;

    private static JournalRow sale() {
        return JournalRow.newBuilder().setKind(RowKind.SALE).setSaleId("S").setTimeMs(1000)
                .setCardUid(ByteString.copyFrom(HexFormat.of().parseHex("901F2AA4"))).setAccountId(7).setAmountFen(100)
                .setCashFen(100).setMode(AuthMode.OFFLINE).build();
    }

    @Test
    void theWalkWaitsForTheSaleBetweenBatchesAndChecksEveryRow() throws Exception {
        Path db = dir.resolve("terminal.db");
        try (Store store = Store.open(db, SECRET); TerminalLoop loop = new TerminalLoop("T01");
             ChainCheck check = new ChainCheck(new JournalVerifier(db, new HmacJournalSealer(SECRET)), store, loop,
                     Clock.systemUTC(), "T01", null)) {
            for (int i = 0; i < ROWS; i++) {
                store.append(sale());
            }
            SaleYield yield = new SaleYield(loop, Duration.ofMinutes(1));
            loop.holdBackground(Duration.ofMinutes(5)); // a card is being sold
            var walk = CompletableFuture.supplyAsync(() -> check.fromCheckpoint(yield));
            assertThat(Await.until(Duration.ofSeconds(10), () -> loop.saleWaiters() == 1 || walk.isDone())).isTrue();
            assertThat(walk).as("the walk went on through the sale").isNotDone();
            loop.releaseBackground(); // the sale's outcome
            var r = walk.get(10, TimeUnit.SECONDS);
            assertThat(r.ok()).isTrue();
            assertThat(r.rows()).as("every row since the checkpoint, none skipped").isEqualTo(ROWS);
            assertThat(yield.pauses()).as("one pause after each full batch").isEqualTo(2);

            // the daily full check: before the file's integrity check, before the walk, and after each full batch
            SaleYield daily = new SaleYield(loop, Duration.ofMinutes(1));
            var full = check.full(daily);
            assertThat(full.ok()).isTrue();
            assertThat(full.rows()).isEqualTo(ROWS);
            assertThat(daily.pauses()).isEqualTo(4);
        }
    }
}
