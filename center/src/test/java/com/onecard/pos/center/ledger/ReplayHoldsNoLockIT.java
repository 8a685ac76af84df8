package com.onecard.pos.center.ledger;

import com.google.protobuf.ByteString;
import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.proto.AuthRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay in progress (a terminal taking its changes slowly) holds nothing that an online
 * authorization, an upload or a top-up of another terminal waits for.
 */
class ReplayHoldsNoLockIT {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static final byte[] UID = {6, 6, 6, 6};
    static CenterLedger ledger;

    @BeforeAll
    static void open() {
        ledger = CenterLedger.open(TestPostgres.freshDatabase("replay_no_lock"), Clock.systemUTC());
        ledger.terminals().register("SLOW", SECRET);
        ledger.terminals().register("BUSY", SECRET);
        for (long a = 1; a <= 50; a++) {
            ledger.accounts().open(a, a == 1 ? UID : new byte[] {7, 7, 7, (byte) a}, 1, "S" + a, 10_000, 0, "", 0);
        }
    }

    @AfterAll
    static void close() {
        ledger.close();
    }

    @Test
    void authorizationUploadAndTopUpGoOnWhileAReplayIsStuck() throws Exception {
        CountDownLatch inReplay = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Replay.Snapshot> replay = CompletableFuture.supplyAsync(() ->
                ledger.replay().replay("SLOW", java.util.Map.of(), d -> {
                    inReplay.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        assertThat(inReplay.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            CompletableFuture<Boolean> others = CompletableFuture.supplyAsync(() -> {
                boolean approved = ledger.authorization().authorize("BUSY", AuthRequest.newBuilder().setSaleId("b-1")
                        .setCardUid(ByteString.copyFrom(UID)).setAmountFen(500).build()).getApproved();
                FakeOutbox journal = new FakeOutbox(SECRET);
                journal.append(FakeOutbox.sale(1, UID, 500).setSaleId("b-1"));
                boolean uploaded = ledger.ingest().ingest("BUSY", journal.all()).ok();
                ledger.accounts().topUp(1, 100, "wechat");
                return approved && uploaded;
            });
            assertThat(others.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ledger.accounts().purses(1)).containsExactly(9_500, 100);
        } finally {
            release.countDown();
        }
        assertThat(replay.get(30, TimeUnit.SECONDS).sent()).isEqualTo(50);
    }
}
