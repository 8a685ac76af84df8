package com.onecard.pos.center.sync;

import com.google.protobuf.ByteString;
import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.ledger.Streams;
import com.onecard.pos.center.testing.Await;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.center.testing.FakeSink;
import com.onecard.pos.center.testing.Provisioned;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.DownstreamSink;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.sync.client.SyncClientConfig;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;
import com.onecard.pos.sync.proto.Downstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet reconnecting replays a few terminals at a time (here one): the others are open and
 * answered meanwhile, get lost cards at once, and each still gets every change from its cursor
 * when its turn comes — whether the replay before it ends by the terminal acknowledging it or by
 * its connection closing. Real TLS on loopback, real SyncClients.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReplaySlotsIT {
    static final String A = "T-RS-A";
    static final String B = "T-RS-B";
    static final String C = "T-RS-C";
    static final int ACCOUNTS = 300;
    static final long FIRST = 5_000;
    static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    static Path keysDir;
    static Provisioned keys;
    final List<AutoCloseable> closers = new ArrayList<>();

    @BeforeAll
    static void provision() throws Exception {
        keys = Provisioned.run(keysDir, A, B, C);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
    }

    static byte[] uid(long account) {
        return new byte[] {0x04, 0x55, (byte) (account >> 8), (byte) account};
    }

    /** A terminal store that has not committed what it received yet: nothing is acknowledged. */
    static final class StalledSink implements DownstreamSink {
        final List<Downstream> received = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public Map<String, Long> cursors() {
            return Map.of();
        }

        @Override
        public CompletionStage<Void> apply(Downstream change) {
            received.add(change);
            return new CompletableFuture<>();
        }
    }

    @Test
    void theFleetReplaysOneAtATimeWhileWaitingTerminalsAreAnsweredAndEachGetsEveryChange() throws Exception {
        CenterLedger ledger = ledger("replay_slots", A, B, C);
        ExecutorService pool = pool(3);
        SyncGateway gateway = new SyncGateway(listen(), ledger, pool, pool(1), Clock.systemUTC(), 1);
        closers.add(gateway);

        // A takes the one slot and never acknowledges its replay
        StalledSink a = new StalledSink();
        SyncClient ta = client(A, gateway.port(), a);
        Await.until(DEADLINE, () -> !a.received.isEmpty() && gateway.replaysInProgress() == 1,
                () -> "A's replay: " + a.received.size() + " received, " + gateway.replaysInProgress() + " in progress");

        // B and C connect: their sessions open, their replays wait
        FakeSink b = new FakeSink();
        SyncClient tb = client(B, gateway.port(), b);
        Await.until(DEADLINE, () -> tb.status().connected() && gateway.replaysWaiting() == 1,
                () -> "B connected " + tb.status().connected() + ", waiting " + gateway.replaysWaiting());
        FakeSink c = new FakeSink();
        SyncClient tc = client(C, gateway.port(), c);
        Await.until(DEADLINE, () -> tc.status().connected() && gateway.replaysWaiting() == 2,
                () -> "C connected " + tc.status().connected() + ", waiting " + gateway.replaysWaiting());

        // a terminal waiting for its replay is answered online
        AuthResponse answer = tb.authorize(AuthRequest.newBuilder().setSaleId("rs-1").setCardUid(ByteString.copyFrom(uid(FIRST)))
                .setAccountId(FIRST).setAmountFen(250).setTimeMs(System.currentTimeMillis()).build(), DEADLINE)
                .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer.getApproved()).isTrue();
        assertThat(b.applied()).as("B's replay has not started: the slot is A's").isEmpty();
        assertThat(gateway.replaysInProgress()).isEqualTo(1);

        // committed while B and C wait: the top-up comes with their replays, the lost card at once
        long topped = FIRST + 7;
        ledger.accounts().topUp(topped, 500, "wechat");
        long lost = FIRST + 9;
        ledger.accounts().setStatus(lost, AccountStatus.LOST);
        for (FakeSink s : List.of(b, c)) {
            Await.until(DEADLINE, () -> s.applied().stream().anyMatch(d -> d.hasBlacklist() && d.getBlacklist().getListed()
                            && d.getBlacklist().getCardUid().equals(ByteString.copyFrom(uid(lost)))),
                    () -> "the lost card has not reached a terminal waiting for its replay: " + s.applied());
            assertThat(accounts(s)).as("no account replayed yet: the slot is A's").isEmpty();
        }

        // A goes away mid-replay: its slot passes to B, whose acknowledgements pass it to C
        ta.close();
        for (FakeSink s : List.of(b, c)) {
            Await.until(DEADLINE, () -> accounts(s).size() == ACCOUNTS,
                    () -> accounts(s).size() + " of " + ACCOUNTS + " accounts replayed; in progress "
                            + gateway.replaysInProgress() + ", waiting " + gateway.replaysWaiting());
            assertThat(accounts(s).get(topped).getCashFen()).as("the top-up committed while it waited").isEqualTo(500);
            assertThat(accounts(s).get(lost).getStatus()).isEqualTo(AccountStatus.LOST);
        }
        Await.until(DEADLINE, () -> gateway.replaysInProgress() == 0, () -> gateway.replaysInProgress() + " in progress");
        assertThat(gateway.replaysStarted()).isEqualTo(3);
        assertThat(gateway.mostReplaysWaiting()).isEqualTo(2);
    }

    @Test
    void aReplayIsPacedInStepsItsHandshakeRunsOffTheEventLoopsAndItsBuffersAreTheGatewaysOwn() throws Exception {
        CenterLedger ledger = ledger("replay_pace", A);
        ReplayPaceTest.FakeTicker ticker = new ReplayPaceTest.FakeTicker();
        ReplayPace pace = new ReplayPace(64_000, ticker);  // a step of 64 changes per ms of the fake clock
        SyncGateway gateway = new SyncGateway(listen(), ledger, pool(2), pool(1), Clock.systemUTC(), 1, pace);
        closers.add(gateway);

        FakeSink a = new FakeSink();
        client(A, gateway.port(), a);
        Await.until(DEADLINE, () -> accounts(a).size() == ACCOUNTS, () -> accounts(a).size() + " of " + ACCOUNTS);
        // 300 account changes = 5 steps of 64: the first at once, each of the other 4 after its wait
        assertThat(ticker.waits).as("the replay waited for its pace before each step but the first")
                .containsExactly(1_000_000L, 1_000_000L, 1_000_000L, 1_000_000L);
        assertThat(gateway.handshakeTasksRun()).as("TLS handshake tasks run on the gateway's handshake threads")
                .isPositive();
        assertThat(gateway.bufferMemory()).as("the session's buffers come from the gateway's own allocator")
                .isPositive();
    }

    /** A fresh ledger with these terminals and {@link #ACCOUNTS} accounts, its feed started. */
    private CenterLedger ledger(String database, String... terminals) throws java.io.IOException {
        CenterLedger ledger = CenterLedger.open(TestPostgres.freshDatabase(database), Clock.systemUTC());
        closers.add(ledger);
        for (String t : terminals) {
            ledger.terminals().register(t, keys.secret(t));
        }
        for (long a = FIRST; a < FIRST + ACCOUNTS; a++) {
            ledger.accounts().open(a, uid(a), 1, "S" + a, 10_000, 0, "", 0);
        }
        ledger.startFeed();
        return ledger;
    }

    private ExecutorService pool(int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        closers.add(pool::shutdownNow);
        return pool;
    }

    private static SyncGateway.Listen listen() {
        return new SyncGateway.Listen("127.0.0.1", 0, keys.ca(), keys.centerCert(), keys.centerKey());
    }

    /** Each account's newest state as the terminal applied it. */
    static Map<Long, AccountUpdate> accounts(FakeSink s) {
        Map<Long, AccountUpdate> out = new ConcurrentHashMap<>();
        for (Downstream d : s.applied()) {
            if (d.getStream().equals(Streams.ACCOUNTS)) {
                out.merge(d.getAccount().getAccountId(), d.getAccount(),
                        (x, y) -> y.getVersion() >= x.getVersion() ? y : x);
            }
        }
        return out;
    }

    private SyncClient client(String id, int port, DownstreamSink sink) throws Exception {
        SyncClient c = new SyncClient(new SyncClientConfig("localhost", port, id, "it-1.0", keys.ca(), keys.cert(id),
                keys.key(id), Duration.ofMillis(500), 100, Duration.ofMillis(5)), new FakeOutbox(keys.secret(id)), sink,
                Clock.systemUTC());
        closers.add(c);
        c.start();
        return c;
    }
}
