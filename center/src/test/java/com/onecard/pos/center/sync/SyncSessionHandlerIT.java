package com.onecard.pos.center.sync;

import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.proto.Envelope;
import com.onecard.pos.sync.proto.Heartbeat;
import com.onecard.pos.sync.proto.Hello;
import com.onecard.pos.sync.proto.Refusal;
import com.onecard.pos.sync.proto.UploadBatch;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Session rules that need no TLS: without a peer certificate nothing but Refusal comes back. */
class SyncSessionHandlerIT {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-09-01T12:00:00Z"), ZoneOffset.UTC);
    static CenterLedger ledger;
    ExecutorService pool;
    EmbeddedChannel ch;

    @BeforeAll
    static void open() {
        ledger = CenterLedger.open(TestPostgres.freshDatabase("session_handler"), CLOCK);
        ledger.terminals().register("T-1", "0123456789abcdef0123456789abcdef".getBytes());
    }

    @AfterAll
    static void close() {
        ledger.close();
    }

    @BeforeEach
    void setUp() {
        pool = Executors.newSingleThreadExecutor();
        ch = new EmbeddedChannel(new SyncSessionHandler(new SessionServices(ledger.terminals(), ledger.ingest(),
                ledger.authorization(), ledger.holds(), ledger.replay(), ledger.qr(),
                ledger.subscribers(), pool, pool, new DefaultChannelGroup(GlobalEventExecutor.INSTANCE), CLOCK, 100,
                new ReplaySlots(1), new ReplayPace(1_000_000, ReplayPace.SYSTEM))));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        ch.finishAndReleaseAll();
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void heartbeatIsEchoedWithTheCenterClock() {
        ch.writeInbound(Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAtMs(123)).build());
        Envelope echo = ch.readOutbound();
        assertThat(echo.getHeartbeat().getEchoOfMs()).isEqualTo(123);
        assertThat(echo.getHeartbeat().getSentAtMs()).isEqualTo(CLOCK.millis());
    }

    @Test
    void uploadBeforeHelloIsAProtocolError() {
        ch.writeInbound(Envelope.newBuilder().setUpload(UploadBatch.getDefaultInstance()).build());
        Envelope r = ch.readOutbound();
        assertThat(r.getRefusal().getReason()).isEqualTo(Refusal.Reason.PROTOCOL_ERROR);
        assertThat(ch.isOpen()).isFalse();
        assertThat(ledger.terminals().appliedSeq("T-1")).isZero();
    }

    @Test
    void helloWithoutAMatchingCertificateIsRefused() {
        ch.writeInbound(Envelope.newBuilder().setHello(Hello.newBuilder().setTerminalId("T-1").setSchemaVersion(1))
                .build());
        Envelope r = ch.readOutbound();
        assertThat(r.getRefusal().getReason()).isEqualTo(Refusal.Reason.UNKNOWN_TERMINAL);
        assertThat(r.getRefusal().getMessage()).contains("T-1");
        assertThat(ch.isOpen()).isFalse();
    }
}
