package com.onecard.pos.center.feed;

import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.testing.Await;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.center.testing.RecordingSubscriber;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.Downstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The balances an upload moved reach its own terminal through the change feed only, and carry
 * the watermark that includes the upload's sales (read in the same snapshot as the balances),
 * whether the feed heard the commit's notification or caught up after it: a terminal's overlay of
 * unacknowledged sales never counts a sale the balance already holds. Other terminals get the
 * same balances with their own watermark.
 */
class FeedWatermarkIT {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static final byte[] UID = {4, 4, 4, 1};
    static final byte[] OTHER_UID = {4, 4, 4, 2};
    static CenterLedger ledger;

    @BeforeAll
    static void open() {
        ledger = CenterLedger.open(TestPostgres.freshDatabase("feed_watermark"), Clock.systemUTC()).startFeed();
        ledger.terminals().register("UPLOADER", SECRET);
        ledger.terminals().register("OTHER", SECRET);
        ledger.accounts().open(41, UID, 1, "Zhao Lei", 10_000, 0, "", 0);
        ledger.accounts().open(42, OTHER_UID, 1, "Sun Mei", 10_000, 0, "", 0);
    }

    @AfterAll
    static void close() {
        ledger.close();
    }

    static List<AccountUpdate> balances(RecordingSubscriber s) {
        return s.pushed().stream().filter(Downstream::hasAccount).map(Downstream::getAccount)
                .filter(a -> a.getAccountId() == 41).toList();
    }

    /** The first balance pushed that holds the three sales (750 fen), or null. */
    static AccountUpdate charged(RecordingSubscriber s) {
        return balances(s).stream().filter(a -> a.getSubsidyFen() + a.getCashFen() == 10_000 - 750).findFirst()
                .orElse(null);
    }

    @Test
    void theUploadsBalancesCarryItsWatermarkToItsOwnTerminalAndTheirOwnToOthers() {
        // The other terminal has 2 sales of another account applied.
        FakeOutbox others = new FakeOutbox(SECRET);
        others.appendSales(2, 42, OTHER_UID, 100);
        assertThat(ledger.ingest().ingest("OTHER", others.all()).appliedSeq()).isEqualTo(2);
        RecordingSubscriber uploader = RecordingSubscriber.subscribe(ledger, "UPLOADER", Map.of());
        RecordingSubscriber other = RecordingSubscriber.subscribe(ledger, "OTHER", Map.of());
        uploader.clear();
        other.clear();

        FakeOutbox journal = new FakeOutbox(SECRET);
        journal.appendSales(3, 41, UID, 250);
        assertThat(ledger.ingest().ingest("UPLOADER", journal.all()).appliedSeq()).isEqualTo(3);

        Await.until(Duration.ofSeconds(10), () -> charged(uploader) != null && charged(other) != null,
                () -> "pushed: " + uploader.pushed() + " / " + other.pushed());
        assertThat(charged(uploader).getAppliedSeq()).as("the balance includes seq 1..3, and says so").isEqualTo(3);
        assertThat(charged(other).getAppliedSeq()).as("another terminal's own watermark").isEqualTo(2);
    }
}
