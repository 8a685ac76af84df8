package com.onecard.pos.center.ledger;

import com.google.protobuf.ByteString;
import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.LedgerPolicy;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.center.testing.MovableClock;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Online approvals hold the amount: two windows cannot both spend the last 12 yuan. */
class HoldsIT {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static final AtomicInteger N = new AtomicInteger();
    static final MovableClock CLOCK = new MovableClock(Instant.parse("2026-09-01T11:30:00Z"));
    static CenterLedger ledger;

    long acc;
    byte[] uid;

    @BeforeAll
    static void open() {
        ledger = CenterLedger.open(TestPostgres.freshDatabase("holds"), CLOCK,
                new LedgerPolicy(Duration.ofHours(24), Duration.ofSeconds(60)));
        ledger.terminals().register("W1", SECRET);
        ledger.terminals().register("W2", SECRET);
    }

    @AfterAll
    static void close() {
        ledger.close();
    }

    @BeforeEach
    void account() {
        int n = N.incrementAndGet();
        acc = 900 + n;
        uid = new byte[] {3, 3, (byte) n, 1};
        ledger.accounts().open(acc, uid, 1, "Wu Lei", 1_200, 0, "", 0);
    }

    AuthRequest ask(String saleId, long fen) {
        return AuthRequest.newBuilder().setSaleId(saleId).setCardUid(ByteString.copyFrom(uid)).setAccountId(acc)
                .setAmountFen(fen).setTimeMs(CLOCK.millis()).build();
    }

    @Test
    void twoWindowsAtOnceGetOneApprovalForTheLastTwelveYuan() throws Exception {
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 40; round++) {
                long a = 900_000 + N.incrementAndGet();
                byte[] u = {4, 4, (byte) round, (byte) N.get()};
                ledger.accounts().open(a, u, 1, "Round " + round, 0, 1_200, "", 0);
                java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
                List<Future<AuthResponse>> answers = new ArrayList<>();
                for (String w : List.of("W1", "W2")) {
                    String sale = w + "-" + round;
                    answers.add(two.submit(() -> {
                        go.await(10, TimeUnit.SECONDS);
                        return ledger.authorization().authorize(w, AuthRequest.newBuilder().setSaleId(sale)
                                .setCardUid(ByteString.copyFrom(u)).setAccountId(a).setAmountFen(1_200).build());
                    }));
                }
                long approved = 0;
                for (Future<AuthResponse> f : answers) {
                    AuthResponse r = f.get(10, TimeUnit.SECONDS);
                    if (r.getApproved()) {
                        approved++;
                    } else {
                        assertThat(r.getDecline()).isEqualTo(AuthResponse.Decline.INSUFFICIENT_FUNDS);
                        assertThat(r.getReason()).isEqualTo("INSUFFICIENT_FUNDS");
                    }
                }
                assertThat(approved).as("round %d", round).isEqualTo(1);
            }
        } finally {
            two.shutdownNow();
        }
    }

    @Test
    void aReleasedHoldFreesTheMoney() {
        assertThat(ledger.authorization().authorize("W1", ask("W1-a", 1_000)).getApproved()).isTrue();
        assertThat(ledger.authorization().authorize("W2", ask("b", 1_000)).getApproved()).isFalse();
        ledger.holds().release("W1", "W1-a");
        assertThat(ledger.holds().state("W1-a")).isEqualTo("RELEASED");
        assertThat(ledger.authorization().authorize("W2", ask("c", 1_000)).getApproved()).isTrue();
    }

    /** A hold belongs to the terminal that placed it (T02 is another window of the same campus). */
    @Test
    void anotherTerminalCannotConsumeReleaseOrOverwriteAHold() {
        ledger.terminals().register("T01", SECRET);
        ledger.terminals().register("T02", SECRET);
        assertThat(ledger.authorization().authorize("T01", ask("T01-77", 1_000)).getApproved()).isTrue();

        AuthResponse overwrite = ledger.authorization().authorize("T02", ask("T01-77", 1));
        assertThat(overwrite.getApproved()).as("T02 asking with T01's sale id").isFalse();
        assertThat(overwrite.getDecline()).isEqualTo(AuthResponse.Decline.CENTER_DECLINED);

        ledger.holds().release("T02", "T01-77");
        assertThat(ledger.holds().state("T01-77")).as("released by T02").isEqualTo("HELD");

        FakeOutbox journal = new FakeOutbox(SECRET);
        journal.append(FakeOutbox.sale(acc, uid, 100).setSaleId("T01-77"));
        assertThat(ledger.ingest().ingest("T02", journal.all()).ok()).isTrue();
        assertThat(ledger.holds().state("T01-77")).as("consumed by T02's upload").isEqualTo("HELD");
        // 1,200 - 100 (T02's sale) - 1,000 (T01's hold, still counting) = 100 left
        assertThat(ledger.authorization().authorize("T02", ask("T02-1", 101)).getApproved()).isFalse();

        // T02 cannot leave a tombstone that would decline T01's next sale
        ledger.holds().release("T02", "T01-78");
        assertThat(ledger.authorization().authorize("T01", ask("T01-78", 100)).getApproved()).isTrue();
        assertThat(ledger.holds().state("T01-78")).isEqualTo("HELD");
    }

    @Test
    void aReleaseThatOvertakesItsRequestLeavesNoHold() {
        ledger.holds().release("W1", "W1-late");
        assertThat(ledger.authorization().authorize("W1", ask("W1-late", 1_000)).getApproved()).isFalse();
        assertThat(ledger.authorization().authorize("W2", ask("next", 1_200)).getApproved()).isTrue();
    }

    @Test
    void aHoldExpires() {
        assertThat(ledger.authorization().authorize("W1", ask("x", 1_200)).getApproved()).isTrue();
        assertThat(ledger.authorization().authorize("W2", ask("y", 1)).getApproved()).isFalse();
        CLOCK.advance(Duration.ofSeconds(61));
        assertThat(ledger.authorization().authorize("W2", ask("z", 1)).getApproved()).isTrue();
    }

    @Test
    void theUploadedSaleConsumesItsHoldSoTheMoneyIsNotCountedTwice() {
        AuthResponse ok = ledger.authorization().authorize("W1", ask("s-1", 700));
        assertThat(ok.getApproved()).isTrue();
        assertThat(ok.getHoldExpiresMs()).isEqualTo(CLOCK.millis() + 60_000);
        FakeOutbox journal = new FakeOutbox(SECRET);
        journal.append(FakeOutbox.sale(acc, uid, 700).setSaleId("s-1"));
        assertThat(ledger.ingest().ingest("W1", journal.all()).ok()).isTrue();
        assertThat(ledger.holds().state("s-1")).isEqualTo("CONSUMED");
        assertThat(ledger.authorization().authorize("W2", ask("s-2", 500)).getApproved()).as("1,200 - 700 left").isTrue();
    }

    @Test
    void aRetriedRequestKeepsItsOneHoldAndAnotherSaleSeesIt() {
        assertThat(ledger.authorization().authorize("W1", ask("r", 1_200)).getApproved()).isTrue();
        assertThat(ledger.authorization().authorize("W1", ask("r", 1_200)).getApproved()).as("a retry").isTrue();
        assertThat(ledger.authorization().authorize("W1", ask("r", 1_201)).getApproved()).as("more than there is")
                .isFalse();
        assertThat(ledger.authorization().authorize("W2", ask("other", 1)).getApproved()).isFalse();
    }

    @Test
    void holdsThatStoppedCountingArePrunedAfterTheRetentionAndLiveOnesStay() {
        ledger.terminals().register("W3", SECRET);
        Duration retention = Duration.ofHours(1);
        assertThat(ledger.authorization().authorize("W3", ask("p-consumed", 100)).getApproved()).isTrue();
        FakeOutbox journal = new FakeOutbox(SECRET);
        journal.append(FakeOutbox.sale(acc, uid, 100).setSaleId("p-consumed"));
        assertThat(ledger.ingest().ingest("W3", journal.all()).ok()).isTrue();
        assertThat(ledger.authorization().authorize("W3", ask("W3-p-released", 100)).getApproved()).isTrue();
        ledger.holds().release("W3", "W3-p-released");
        ledger.holds().release("W3", "W3-p-tombstone");
        assertThat(ledger.authorization().authorize("W3", ask("p-expired", 100)).getApproved()).isTrue();

        CLOCK.advance(retention);
        assertThat(ledger.authorization().authorize("W3", ask("W3-p-recent", 100)).getApproved()).isTrue();
        ledger.holds().release("W3", "W3-p-recent");
        // The first holds expired more than the retention ago; p-recent's expiry has passed, but within it.
        CLOCK.advance(Duration.ofSeconds(120));
        assertThat(ledger.authorization().authorize("W3", ask("p-live", 100)).getApproved()).isTrue();

        assertThat(ledger.holds().prune(retention)).isGreaterThanOrEqualTo(4);

        for (String gone : List.of("p-consumed", "W3-p-released", "W3-p-tombstone", "p-expired")) {
            assertThat(ledger.holds().state(gone)).as(gone).isNull();
        }
        assertThat(ledger.holds().state("p-live")).as("a live hold is never pruned").isEqualTo("HELD");
        assertThat(ledger.holds().state("W3-p-recent")).as("released within the retention").isEqualTo("RELEASED");
        // The live hold still counts: 1,200 - 100 (sold) - 100 (held) left.
        assertThat(ledger.authorization().authorize("W3", ask("p-more", 1_001)).getApproved()).isFalse();
        assertThat(ledger.authorization().authorize("W3", ask("p-fits", 1_000)).getApproved()).isTrue();
    }
}
