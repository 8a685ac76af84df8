package com.onecard.pos.center.sync;

import com.google.protobuf.ByteString;
import com.onecard.pos.center.Center;
import com.onecard.pos.center.CenterConfig;
import com.onecard.pos.center.db.DatabaseConfig;
import com.onecard.pos.center.ledger.Streams;
import com.onecard.pos.center.ledger.TerminalRegistry;
import com.onecard.pos.center.testing.Await;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.center.testing.FakeSink;
import com.onecard.pos.center.testing.Provisioned;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.sync.client.SyncClientConfig;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.DownstreamAck;
import com.onecard.pos.sync.proto.Envelope;
import com.onecard.pos.sync.proto.Hello;
import com.onecard.pos.sync.proto.Welcome;
import com.onecard.pos.sync.proto.JournalRow;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real TLS on loopback, keys from scripts/provision, a real SyncClient against Center. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CenterSyncIT {
    static final String T1 = "T-IT-1";
    static final long ACCOUNT = 1001;
    static final byte[] UID = {0x04, 0x11, 0x22, 0x33};
    static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    static Path keysDir;
    @TempDir
    static Path otherKeysDir;
    static Provisioned keys;
    static Provisioned foreign;

    @TempDir
    Path work;
    DatabaseConfig db;

    /** One database per test; a restarted center reopens the same one. */
    DatabaseConfig db() {
        if (db == null) {
            db = TestPostgres.freshDatabase(getClass().getSimpleName());
        }
        return db;
    }
    final List<AutoCloseable> closers = new ArrayList<>();

    @BeforeAll
    static void provision() throws Exception {
        keys = Provisioned.run(keysDir, T1, "T-IT-2");
        foreign = Provisioned.run(otherKeysDir, T1);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
    }

    Center center(int port) throws Exception {
        return center(port, null);
    }

    /** @param ticketSecret shared by the instances started with it; null: the instance's own */
    Center center(int port, byte[] ticketSecret) throws Exception {
        Center c = Center.start(CenterConfig.of("127.0.0.1", port, keys.ca(), keys.centerCert(), keys.centerKey(), db())
                .withTicketSecret(ticketSecret));
        closers.add(c);
        return c;
    }

    Center centerWithAccount() throws Exception {
        Center c = center(0);
        c.ledger().terminals().register(T1, keys.secret(T1));
        if (c.ledger().terminals().state(T1) == TerminalRegistry.State.ACTIVE && c.ledger().accounts().movements(ACCOUNT).isEmpty()) {
            c.ledger().accounts().open(ACCOUNT, UID, 1, "Li Hua", 10_000_000, 500, "", 0);
        }
        return c;
    }

    SyncClient client(int port, Provisioned ks, FakeOutbox outbox, FakeSink sink, int batch) {
        SyncClient c = new SyncClient(new SyncClientConfig("localhost", port, T1, "it-1.0", ks.ca(), ks.cert(T1),
                ks.key(T1), Duration.ofSeconds(1), batch, Duration.ofMillis(5)), outbox, sink, Clock.systemUTC());
        closers.add(c);
        c.start();
        return c;
    }

    @Test
    void theCenterLearnsATerminalsClockFromItsSessionAndFollowsIt() throws Exception {
        Center center = centerWithAccount();
        var skew = new java.util.concurrent.atomic.AtomicReference<>(Duration.ofHours(3));
        Clock skewed = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.now().plus(skew.get());
            }
        };
        SyncClient c = new SyncClient(new SyncClientConfig("localhost", center.syncPort(), T1, "it-1.0", keys.ca(), keys.cert(T1),
                keys.key(T1), Duration.ofSeconds(1), 100, Duration.ofMillis(5)), new FakeOutbox(keys.secret(T1)), new FakeSink(),
                skewed);
        closers.add(c);
        c.start();
        Await.until(DEADLINE, () -> near(center, Duration.ofHours(-3)), () -> "clock " + center.ledger().terminals().info(T1).clock());
        // the terminal's clock is set right by an hour while connected: its heartbeats carry it
        skew.set(Duration.ofHours(2));
        Await.until(DEADLINE, () -> near(center, Duration.ofHours(-2)), () -> "clock " + center.ledger().terminals().info(T1).clock());
    }

    @Test
    void aTerminalWhoseClockAgreesWithTheCentersHasItRecordedOnItsFirstHeartbeat() throws Exception {
        // Offset ≈ 0 is within a second of the "last recorded" 0, so only "not recorded for a minute"
        // records it: with Long.MIN_VALUE as "never", now - never overflowed and it never was.
        Center center = centerWithAccount();
        client(center.syncPort(), keys, new FakeOutbox(keys.secret(T1)), new FakeSink(), 100);
        Await.until(DEADLINE, () -> near(center, Duration.ZERO), () -> "clock " + center.ledger().terminals().info(T1).clock());
    }

    private static boolean near(Center center, Duration offset) {
        var clock = center.ledger().terminals().info(T1).clock();
        return clock != null && Math.abs(clock.offsetMs() - offset.toMillis()) < 5_000;
    }

    @Test
    void uploadsAThousandRowsExactlyOnce() throws Exception {
        Center center = centerWithAccount();
        FakeOutbox outbox = new FakeOutbox(keys.secret(T1));
        outbox.appendSales(1_000, ACCOUNT, UID, 7);
        long t0 = System.nanoTime();
        SyncClient client = client(center.syncPort(), keys, outbox, new FakeSink(), 100);

        Await.until(DEADLINE, () -> outbox.lastAcknowledged() == 1_000, () -> "acked " + client.status());
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("uploaded 1000 rows in %.3f s (%.0f rows/s incl. connect)%n", secs, 1000 / secs);

        assertThat(center.ledger().ingest().appliedRows(T1)).isEqualTo(outbox.all());
        assertThat(center.ledger().terminals().appliedSeq(T1)).isEqualTo(1_000);
        assertThat(center.ledger().accounts().purses(ACCOUNT)).containsExactly(10_000_000 - 7_000, 500);
        assertThat(client.status().lastAckedSeq()).isEqualTo(1_000);
        assertThat(client.status().connected()).isTrue();
    }

    @Test
    void backlogThroughputFigure() throws Exception {
        Center center = centerWithAccount();
        FakeOutbox outbox = new FakeOutbox(keys.secret(T1));
        outbox.appendSales(100_000, ACCOUNT, UID, 1);
        long t0 = System.nanoTime();
        SyncClient client = client(center.syncPort(), keys, outbox, new FakeSink(), 1_000);
        Await.until(DEADLINE, () -> outbox.lastAcknowledged() == 100_000, () -> "acked " + client.status());
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("uploaded 100000 rows in %.3f s (%.0f rows/s)%n", secs, 100_000 / secs);
        assertThat(center.ledger().terminals().appliedSeq(T1)).isEqualTo(100_000);
        assertThat(center.ledger().accounts().purses(ACCOUNT)).containsExactly(10_000_000 - 100_000, 500);
    }

    @Test
    void connectionCutMidBatchStillExactlyOnce() throws Exception {
        Center center = centerWithAccount();
        int port = center.syncPort();
        FakeOutbox outbox = new FakeOutbox(keys.secret(T1));
        outbox.appendSales(6_000, ACCOUNT, UID, 3);
        SyncClient client = client(port, keys, outbox, new FakeSink(), 50);

        Await.until(DEADLINE, () -> center.ledger().terminals().appliedSeq(T1) >= 500, () -> "first rows " + client.status());
        center.gateway().dropConnections();
        Await.until(DEADLINE, () -> center.ledger().terminals().appliedSeq(T1) >= 2_500, () -> "after cut " + client.status());

        // Restart the center on the same port and ledger file while batches are in flight.
        center.close();
        closers.remove(center);
        Center again = center(port);
        Await.until(DEADLINE, () -> outbox.lastAcknowledged() == 6_000, () -> "after restart " + client.status());

        assertThat(again.ledger().ingest().appliedRows(T1)).isEqualTo(outbox.all());
        assertThat(again.ledger().accounts().purses(ACCOUNT)).containsExactly(10_000_000 - 18_000, 500);
        assertThat(client.status().reconnects()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void duplicateDeliveryIsIgnored() throws Exception {
        Center center = centerWithAccount();
        FakeOutbox outbox = new FakeOutbox(keys.secret(T1));
        outbox.appendSales(300, ACCOUNT, UID, 5);
        SyncClient client = client(center.syncPort(), keys, outbox, new FakeSink(), 100);
        Await.until(DEADLINE, () -> outbox.lastAcknowledged() == 300, client::toString);

        outbox.replayFromStartOnce.set(true);
        outbox.appendSales(10, ACCOUNT, UID, 5);
        client.wake();
        Await.until(DEADLINE, () -> outbox.lastAcknowledged() == 310, () -> "" + client.status());

        assertThat(center.ledger().ingest().appliedRows(T1)).isEqualTo(outbox.all());
        assertThat(center.ledger().accounts().purses(ACCOUNT)).containsExactly(10_000_000 - 310 * 5, 500);
    }

    @Test
    void clientWithCertificateFromAnotherCaIsRefused() throws Exception {
        Center center = centerWithAccount();
        FakeOutbox outbox = new FakeOutbox(keys.secret(T1));
        outbox.appendSales(10, ACCOUNT, UID, 5);
        SyncClient client = client(center.syncPort(), foreign, outbox, new FakeSink(), 100);

        Await.until(DEADLINE, () -> client.status().reconnects() >= 2 && client.status().lastError() != null,
                () -> "" + client.status());
        assertThat(client.status().connected()).isFalse();
        assertThat(center.ledger().ingest().appliedRows(T1)).isEmpty();
        assertThat(outbox.lastAcknowledged()).isZero();
    }

    /**
     * The sync port runs BoringSSL here (CI's linux-x86_64): a build that lost the native library
     * would fall back to the JDK's TLS with only a log line. A terminal in the JDK's TLS uploads
     * through it and is acknowledged as its certificate's terminal.
     */
    @Test
    void theSyncPortSpeaksBoringSslToATerminalInTheJdksTls() throws Exception {
        Center center = centerWithAccount();
        assertThat(center.gateway().tlsIsBoringSsl()).as(com.onecard.pos.sync.tls.SyncTls.serverProviderDescription())
                .isTrue();
        // terminals keep the JDK's TLS even with the native library on their classpath (the simulator's JVM)
        assertThat(com.onecard.pos.sync.tls.SyncTls.client(keys.ca(), keys.cert(T1), keys.key(T1)))
                .isInstanceOf(io.netty.handler.ssl.JdkSslContext.class);
        FakeOutbox outbox = new FakeOutbox(keys.secret(T1));
        outbox.appendSales(3, ACCOUNT, UID, 5);
        client(center.syncPort(), keys, outbox, new FakeSink(), 100);
        Await.until(DEADLINE, () -> outbox.lastAcknowledged() == 3, () -> "acknowledged " + outbox.lastAcknowledged());
        assertThat(center.ledger().ingest().appliedRows(T1)).hasSize(3);
    }

    /**
     * A terminal that lost its connection resumes its TLS session (no certificate signatures on
     * either side) on the running instance, and after a restart on the new instance, whose ticket
     * keys derive from the same sync.ticket-secret-file (SessionTicketKeys); each resumed session
     * still names the certificate's terminal: its Hello is accepted and its rows acknowledged. Were
     * the certificate missing from a resumed session, every reconnect would be refused (fail
     * closed). An instance with another secret opens none of those tickets: a full handshake.
     */
    @Test
    void aTerminalResumesItsTlsSessionAfterACutAndAfterARestartStillAsItsCertificate() throws Exception {
        byte[] shared = "the campus's sync ticket secret, 32+ bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Center center = center(0, shared);
        center.ledger().terminals().register(T1, keys.secret(T1));
        if (center.ledger().accounts().movements(ACCOUNT).isEmpty()) {
            center.ledger().accounts().open(ACCOUNT, UID, 1, "Li Hua", 10_000_000, 500, "", 0);
        }
        int port = center.syncPort();
        FakeOutbox outbox = new FakeOutbox(keys.secret(T1));
        outbox.appendSales(2, ACCOUNT, UID, 5);
        SyncClient client = client(port, keys, outbox, new FakeSink(), 100);
        Await.until(DEADLINE, () -> outbox.lastAcknowledged() == 2, () -> "acknowledged " + outbox.lastAcknowledged());
        assertThat(center.gateway().tlsSessionsResumed()).isZero();

        center.gateway().dropConnections();
        outbox.appendSales(2, ACCOUNT, UID, 5);
        Await.until(DEADLINE, () -> outbox.lastAcknowledged() == 4, () -> "after the cut " + client.status());
        assertThat(center.gateway().tlsSessionsResumed()).as("resumed after the cut").isEqualTo(1);

        center.close();
        closers.remove(center);
        Center again = center(port, shared);
        outbox.appendSales(2, ACCOUNT, UID, 5);
        Await.until(DEADLINE, () -> outbox.lastAcknowledged() == 6, () -> "after the restart " + client.status());
        assertThat(again.gateway().tlsSessionsResumed()).as("resumed on the restarted instance").isEqualTo(1);

        again.close();
        closers.remove(again);
        Center other = center(port, "another secret, of another campus or by mistake".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII));
        outbox.appendSales(2, ACCOUNT, UID, 5);
        Await.until(DEADLINE, () -> outbox.lastAcknowledged() == 8, () -> "after a restart with another secret "
                + client.status());
        assertThat(other.gateway().tlsSessionsResumed()).as("an instance with another secret").isZero();

        // without sync.ticket-secret-file each instance draws its own: one never opens another's tickets
        long acked = 8;
        for (int i = 0; i < 2; i++) {
            other.close();
            closers.remove(other);
            other = center(port, null);
            outbox.appendSales(2, ACCOUNT, UID, 5);
            long want = acked += 2;
            Await.until(DEADLINE, () -> outbox.lastAcknowledged() == want, () -> "after a restart without a secret "
                    + client.status());
            assertThat(other.gateway().tlsSessionsResumed()).as("an instance with a secret of its own").isZero();
        }
        assertThat(other.ledger().ingest().appliedRows(T1)).isEqualTo(outbox.all());
    }

    @Test
    void unregisteredTerminalGetsRefusal() throws Exception {
        Center center = center(0);
        FakeOutbox outbox = new FakeOutbox(keys.secret(T1));
        outbox.appendSales(3, ACCOUNT, UID, 5);
        SyncClient client = client(center.syncPort(), keys, outbox, new FakeSink(), 100);
        Await.until(DEADLINE, () -> String.valueOf(client.status().lastError()).contains("UNKNOWN_TERMINAL"),
                () -> "" + client.status());
        assertThat(center.ledger().ingest().appliedRows(T1)).isEmpty();
    }

    @Test
    void revokedTerminalIsRefusedAndAnOlderSessionIsReplaced() throws Exception {
        Center center = centerWithAccount();
        FakeOutbox outbox = new FakeOutbox(keys.secret(T1));
        SyncClient first = client(center.syncPort(), keys, outbox, new FakeSink(), 100);
        Await.until(DEADLINE, () -> first.status().connected(), () -> "" + first.status());
        SyncClient second = client(center.syncPort(), keys, outbox, new FakeSink(), 100);
        Await.until(DEADLINE, () -> second.status().connected() && !first.status().connected(),
                () -> first.status() + " / " + second.status());
        first.close();

        center.ledger().terminals().revoke(T1);
        center.gateway().dropConnections();
        Await.until(DEADLINE, () -> String.valueOf(second.status().lastError()).contains("REVOKED"),
                () -> "" + second.status());
        assertThat(second.status().connected()).isFalse();
    }

    @Test
    void downstreamAccountUpdateReachesTheSink() throws Exception {
        Center center = centerWithAccount();
        FakeSink sink = new FakeSink();
        FakeOutbox outbox = new FakeOutbox(keys.secret(T1));
        SyncClient client = client(center.syncPort(), keys, outbox, sink, 100);
        Await.until(DEADLINE, () -> accountUpdates(sink).size() == 1, () -> "replay " + sink.applied());
        assertThat(accountUpdates(sink).get(0).getAccount().getHolderName()).isEqualTo("Li Hua");

        center.ledger().accounts().topUp(ACCOUNT, 2_000, "alipay");
        Await.until(DEADLINE, () -> accountUpdates(sink).size() == 2, () -> "push " + sink.applied());
        Downstream d = accountUpdates(sink).get(1);
        assertThat(d.getAccount().getCashFen()).isEqualTo(2_500);
        assertThat(d.getVersion()).isGreaterThan(accountUpdates(sink).get(0).getVersion());

        center.ledger().accounts().setStatus(ACCOUNT, AccountStatus.LOST);
        Await.until(DEADLINE, () -> sink.applied().stream().anyMatch(x -> x.hasBlacklist() && x.getBlacklist().getListed()),
                () -> "blacklist " + sink.applied());

        // Uploaded sales come back as balances carrying this terminal's watermark.
        outbox.appendSales(4, ACCOUNT, UID, 100);
        client.wake();
        Await.until(DEADLINE, () -> accountUpdates(sink).stream().anyMatch(x -> x.getAccount().getAppliedSeq() == 4),
                () -> "watermark " + sink.applied());
        Await.until(DEADLINE, () -> outbox.lastAcknowledged() == 4, () -> "acked " + client.status());
        Downstream last = accountUpdates(sink).get(accountUpdates(sink).size() - 1);
        assertThat(last.getAccount().getSubsidyFen()).isEqualTo(10_000_000 - 400);
        // The state a terminal keeps is the first update of the newest version (an equal version is not newer):
        // it must carry the watermark that includes the sales, whichever path pushed it first.
        long newest = accountUpdates(sink).stream().mapToLong(Downstream::getVersion).max().orElseThrow();
        Downstream kept = accountUpdates(sink).stream().filter(u -> u.getVersion() == newest).findFirst().orElseThrow();
        assertThat(kept.getAccount().getAppliedSeq()).isEqualTo(4);
        assertThat(sink.cursors()).containsKeys(Streams.ACCOUNTS, Streams.BLACKLIST);
    }

    @Test
    void onlineAuthorizationRoundTrip() throws Exception {
        Center center = centerWithAccount();
        SyncClient client = client(center.syncPort(), keys, new FakeOutbox(keys.secret(T1)), new FakeSink(), 100);
        Await.until(DEADLINE, () -> client.status().connected(), () -> "" + client.status());

        AuthResponse ok = client.authorize(auth(1_200), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        assertThat(ok.getApproved()).isTrue();
        assertThat(ok.getSubsidyFen()).isEqualTo(10_000_000);

        AuthResponse tooMuch = client.authorize(auth(20_000_000), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        assertThat(tooMuch.getApproved()).isFalse();
        assertThat(tooMuch.getReason()).isEqualTo("INSUFFICIENT_FUNDS");

        center.ledger().accounts().setStatus(ACCOUNT, AccountStatus.FROZEN);
        assertThat(client.authorize(auth(1), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).getReason())
                .isEqualTo("FROZEN");

        AuthResponse unknown = client.authorize(AuthRequest.newBuilder().setSaleId("x")
                .setCardUid(ByteString.copyFrom(new byte[] {9, 9, 9, 9})).setAmountFen(1).build(),
                Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        assertThat(unknown.getReason()).isEqualTo("UNKNOWN_CARD");

        center.close();
        closers.remove(center);
        Await.until(DEADLINE, () -> !client.status().connected(), () -> "" + client.status());
        assertThatThrownBy(() -> client.authorize(auth(1), Duration.ofSeconds(5)).get(1, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
    }

    private static AuthRequest auth(long fen) {
        return AuthRequest.newBuilder().setSaleId("sale-" + fen).setCardUid(ByteString.copyFrom(UID))
                .setAccountId(ACCOUNT).setAmountFen(fen).setTimeMs(System.currentTimeMillis()).build();
    }

    private static List<Downstream> accountUpdates(FakeSink sink) {
        return sink.applied().stream().filter(Downstream::hasAccount).toList();
    }

    /**
     * Mixed firmware: a terminal whose Hello lists no features (older firmware) gets every change in
     * its own Envelope, replay and live alike, never a DownstreamBatch it could not read; one that
     * lists {@code downstream_batch} is told so in its Welcome and gets the changes a transaction
     * committed together in batch frames. Both end with every account's newest balance.
     */
    @Test
    void anOlderTerminalGetsEveryChangeInItsOwnFrameAndOneThatListsTheFeatureGetsBatches() throws Exception {
        Center center = centerWithAccount();
        long[] ids = java.util.stream.LongStream.rangeClosed(3_001, 3_040).toArray();
        for (long id : ids) {
            if (center.ledger().accounts().account(id).isEmpty()) {
                center.ledger().accounts().open(id, new byte[] {0x05, 0x0B, (byte) (id >> 8), (byte) id}, 1,
                        "Holder " + id, 1_000, 0, "", 0);
            }
        }
        try (RawTerminal old = new RawTerminal(center.syncPort(), List.of())) {
            topUpTogetherAndAwait(center, ids, old);
            assertThat(old.welcome().getFeaturesList()).isEmpty();
            assertThat(old.received).noneMatch(Envelope::hasDownstreamBatch);
        }
        try (RawTerminal current = new RawTerminal(center.syncPort(),
                List.of(com.onecard.pos.sync.SyncFeatures.DOWNSTREAM_BATCH))) {
            topUpTogetherAndAwait(center, ids, current);
            assertThat(current.welcome().getFeaturesList()).containsExactly(com.onecard.pos.sync.SyncFeatures.DOWNSTREAM_BATCH);
            assertThat(current.received).anyMatch(e -> e.hasDownstreamBatch() && e.getDownstreamBatch().getChangesCount() > 1);
        }
    }

    /** Waits for {@code t}'s replay of {@code ids}, tops them all up in one transaction, waits for the new balances. */
    private static void topUpTogetherAndAwait(Center center, long[] ids, RawTerminal t) {
        Await.until(DEADLINE, () -> java.util.Arrays.stream(ids).allMatch(id -> t.cash(id) >= 0), () -> "replay " + t.received.size());
        center.ledger().unitOfWork().run("top up together", tx -> {
            for (long id : ids) {
                center.ledger().accounts().topUp(tx, id, 1, "it");
            }
            return null;
        });
        Await.until(DEADLINE, () -> java.util.Arrays.stream(ids).allMatch(id ->
                t.cash(id) == center.ledger().accounts().account(id).orElseThrow().cashFen()), () -> "live " + t.received.size());
    }

    /** A terminal speaking the protocol by hand: its Hello lists exactly the features given; keeps all it gets. */
    static final class RawTerminal implements AutoCloseable {
        final List<Envelope> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.Map<Long, Long> cash = new java.util.concurrent.ConcurrentHashMap<>();
        final io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                io.netty.channel.nio.NioIoHandler.newFactory());

        RawTerminal(int port, List<String> features) throws Exception {
            io.netty.handler.ssl.SslContext ssl = com.onecard.pos.sync.tls.SyncTls.client(keys.ca(), keys.cert(T1), keys.key(T1));
            new io.netty.bootstrap.Bootstrap().group(group).channel(io.netty.channel.socket.nio.NioSocketChannel.class)
                    .handler(new com.onecard.pos.sync.codec.SyncClientInitializer(ssl, "localhost", port,
                            new com.onecard.pos.sync.codec.CodecCounters(), Duration.ofSeconds(60),
                            () -> new io.netty.channel.SimpleChannelInboundHandler<Envelope>() {
                                @Override
                                public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
                                    if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent hs && hs.isSuccess()) {
                                        ctx.writeAndFlush(Envelope.newBuilder().setHello(Hello.newBuilder().setTerminalId(T1)
                                                .setSchemaVersion(1).addAllFeatures(features)).build());
                                    }
                                }

                                @Override
                                protected void channelRead0(io.netty.channel.ChannelHandlerContext ctx, Envelope e) {
                                    received.add(e);
                                    List<Downstream> changes = e.hasDownstream() ? List.of(e.getDownstream())
                                            : e.getDownstreamBatch().getChangesList();
                                    for (Downstream d : changes) {
                                        if (d.hasAccount()) {
                                            cash.put(d.getAccount().getAccountId(), d.getAccount().getCashFen());
                                        }
                                        ctx.write(Envelope.newBuilder().setDownstreamAck(DownstreamAck.newBuilder()
                                                .setStream(d.getStream()).setVersion(d.getVersion())).build());
                                    }
                                    ctx.flush();
                                }
                            })).connect("localhost", port).sync();
        }

        long cash(long accountId) {
            return cash.getOrDefault(accountId, -1L);
        }

        Welcome welcome() {
            return received.stream().filter(Envelope::hasWelcome).findFirst().orElseThrow().getWelcome();
        }

        @Override
        public void close() throws Exception {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
