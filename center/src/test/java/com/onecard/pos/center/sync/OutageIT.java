package com.onecard.pos.center.sync;

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
import com.onecard.pos.sync.tls.SyncTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Network faults against the real center over loopback TLS: a long outage with a large queue,
 * a terminal clock hours off, and bad frames from a client holding a valid certificate.
 * {@code -Doutage.seconds=600 -Doutage.sales=10000} reproduces the RELIABILITY.md figure.
 */
class OutageIT {
    static final String T1 = "T-OUT-1";
    static final long ACCOUNT = 3001;
    static final byte[] UID = {0x04, 0x55, 0x66, 0x77};

    @TempDir
    static Path keysDir;
    static Provisioned keys;
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
        keys = Provisioned.run(keysDir, T1);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Center center(int port) throws Exception {
        Center c = Center.start(CenterConfig.of("127.0.0.1", port, keys.ca(), keys.centerCert(), keys.centerKey(), db()));
        closers.add(c);
        c.ledger().terminals().register(T1, keys.secret(T1));
        if (c.ledger().accounts().movements(ACCOUNT).isEmpty()) {
            c.ledger().accounts().open(ACCOUNT, UID, 1, "Wang Fang", 100_000_000, 0, "", 0);
        }
        return c;
    }

    SyncClient client(int port, FakeOutbox outbox, Clock clock) throws Exception {
        SyncClient c = new SyncClient(new SyncClientConfig("localhost", port, T1, "it-1.0", keys.ca(), keys.cert(T1),
                keys.key(T1), Duration.ofSeconds(1), 500, Duration.ofMillis(20)), outbox, new FakeSink(), clock);
        closers.add(c);
        c.start();
        return c;
    }

    @Test
    void salesQueuedThroughAnOutageDrainExactlyOnceWhenTheCenterReturns() throws Exception {
        long outageSeconds = Long.getLong("outage.seconds", 5);
        int sales = Integer.getInteger("outage.sales", 10_000);
        int port = freePort();
        FakeOutbox outbox = new FakeOutbox(keys.secret(T1));
        SyncClient client = client(port, outbox, Clock.systemUTC());
        // the center is down: the terminal keeps selling offline, spread over the outage
        long t0 = System.nanoTime();
        int batches = 20;
        for (int b = 0; b < batches; b++) {
            outbox.appendSales(sales / batches, ACCOUNT, UID, 1);
            client.wake();
            long due = t0 + (b + 1) * outageSeconds * 1_000_000_000L / batches;
            while (System.nanoTime() < due) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // paces the rush, not an outcome
            }
        }
        assertThat(client.status().connected()).isFalse();
        assertThat(client.status().lastError()).isNotEmpty();
        long reconnectsDuringOutage = client.status().reconnects();
        long back = System.nanoTime();
        Center center = center(port);
        Await.until(Duration.ofSeconds(60), () -> outbox.lastAcknowledged() == sales, () -> "acked " + client.status());
        double drain = (System.nanoTime() - back) / 1e9;
        System.out.printf("outage %d s, %d sales queued, %d reconnect attempts during it; drained in %.2f s after the center returned%n",
                outageSeconds, sales, reconnectsDuringOutage, drain);
        assertThat(center.ledger().ingest().appliedRows(T1)).isEqualTo(outbox.all());
        assertThat(center.ledger().accounts().purses(ACCOUNT)[0]).isEqualTo(100_000_000 - sales);
    }

    @Test
    void centerRestartedMidDrainStillAppliesEachRowOnce() throws Exception {
        int port = freePort();
        Center first = center(port);
        FakeOutbox outbox = new FakeOutbox(keys.secret(T1));
        outbox.appendSales(20_000, ACCOUNT, UID, 1);
        SyncClient client = client(port, outbox, Clock.systemUTC());
        Await.until(Duration.ofSeconds(30), () -> outbox.lastAcknowledged() > 2_000, () -> "acked " + client.status());
        first.close();
        Center second = center(port);
        Await.until(Duration.ofSeconds(60), () -> outbox.lastAcknowledged() == 20_000, () -> "acked " + client.status());
        assertThat(second.ledger().ingest().appliedRows(T1)).isEqualTo(outbox.all());
        assertThat(second.ledger().accounts().purses(ACCOUNT)[0]).isEqualTo(100_000_000 - 20_000);
    }

    @Test
    void terminalClockHoursOffStillSyncsAndTheOffsetIsReported() throws Exception {
        Center center = center(0);
        FakeOutbox outbox = new FakeOutbox(keys.secret(T1));
        outbox.appendSales(500, ACCOUNT, UID, 1);
        Duration skew = Duration.ofHours(3);
        SyncClient client = client(center.syncPort(), outbox, Clock.offset(Clock.systemUTC(), skew));
        Await.until(Duration.ofSeconds(30), () -> outbox.lastAcknowledged() == 500, () -> "acked " + client.status());
        Await.until(Duration.ofSeconds(10), () -> Math.abs(client.status().clockOffsetMs()) > skew.toMillis() - 60_000,
                () -> "offset " + client.status().clockOffsetMs());
        System.out.printf("terminal clock +3 h: reported offset %d ms%n", client.status().clockOffsetMs());
        assertThat(center.ledger().ingest().appliedRows(T1)).isEqualTo(outbox.all());
    }

    @Test
    void badFramesFromAnAuthenticatedClientCloseTheSessionAndApplyNothing() throws Exception {
        Center center = center(0);
        byte[][] attacks = {
                {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01},      // varint longer than 5 bytes
                {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01},                               // 2 MiB frame announced
                {0x05, 0x07, 0x07, 0x07, 0x07, 0x07},                                        // not a protobuf Envelope
                {0x64, 0x0A, 0x02, 0x08, 0x01},                                              // 100 bytes announced, 4 sent, then close
        };
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            var ssl = SyncTls.client(keys.ca(), keys.cert(T1), keys.key(T1));
            for (byte[] attack : attacks) {
                Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel c) {
                                c.pipeline().addLast(ssl.newHandler(c.alloc(), "localhost", center.syncPort()));
                            }
                        }).connect("localhost", center.syncPort()).sync().channel();
                assertThat(ch.pipeline().get(SslHandler.class).handshakeFuture().await(10, TimeUnit.SECONDS)).isTrue();
                ch.writeAndFlush(Unpooled.wrappedBuffer(attack)).sync();
                if (attack[0] == 0x64) {
                    ch.close().sync();
                }
                assertThat(ch.closeFuture().await(10, TimeUnit.SECONDS)).as("center closed the session").isTrue();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        var counters = center.gateway().codecCounters();
        System.out.println("center codec counters after bad frames: " + counters);
        assertThat(counters.oversizeFrames() + counters.malformedFrames() + counters.truncatedFrames()).isGreaterThanOrEqualTo(3);
        assertThat(center.ledger().terminals().appliedSeq(T1)).isZero();
    }
}
