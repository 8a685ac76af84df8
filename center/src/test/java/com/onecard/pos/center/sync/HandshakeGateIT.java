package com.onecard.pos.center.sync;

import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.testing.Await;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.center.testing.FakeSink;
import com.onecard.pos.center.testing.Provisioned;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.sync.client.SyncClientConfig;
import com.onecard.pos.sync.codec.HandshakeGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet reconnecting at once to an instance that runs one TLS handshake at a time: the others
 * wait their turn and every terminal's session opens, each under its certificate's identity; a
 * terminal with a certificate from another CA is still refused, and its failed handshake passes
 * the turn on. Real TLS on loopback, real SyncClients (their reconnect spread set to 0 so they all
 * come back at once: the gate, not the spread, is under test).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HandshakeGateIT {
    static final int FLEET = 12;
    static final Duration DEADLINE = Duration.ofSeconds(40);

    @TempDir
    static Path keysDir;
    @TempDir
    static Path otherKeysDir;
    static Provisioned keys;
    static Provisioned foreign;
    static final List<String> IDS = new ArrayList<>();
    final List<AutoCloseable> closers = new ArrayList<>();

    @BeforeAll
    static void provision() throws Exception {
        for (int i = 0; i < FLEET; i++) {
            IDS.add(String.format("T-HG-%02d", i));
        }
        keys = Provisioned.run(keysDir, IDS.toArray(String[]::new));
        foreign = Provisioned.run(otherKeysDir, IDS.get(0));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
    }

    @Test
    void aFleetReconnectingAtOnceGetsOneHandshakeAtATimeAndEverySessionOpensUnderItsOwnIdentity() throws Exception {
        CenterLedger ledger = CenterLedger.open(TestPostgres.freshDatabase("handshake_gate"), Clock.systemUTC());
        closers.add(ledger);
        for (String t : IDS) {
            ledger.terminals().register(t, keys.secret(t));
        }
        ledger.startFeed();
        SyncGateway gateway = new SyncGateway(new SyncGateway.Listen("127.0.0.1", 0, keys.ca(), keys.centerCert(),
                keys.centerKey()), ledger, pool(3), pool(1), Clock.systemUTC(), 2, 1_000_000L, 1);
        closers.add(gateway);
        HandshakeGate gate = gateway.handshakeGate();
        assertThat(gate.atOnce()).isEqualTo(1);

        List<SyncClient> fleet = new ArrayList<>();
        for (String id : IDS) {
            fleet.add(client(id, gateway.port(), keys));
        }
        fleet.parallelStream().forEach(SyncClient::start);
        Await.until(DEADLINE, () -> gateway.connectedTerminals().size() == FLEET,
                () -> gateway.connectedTerminals().size() + " of " + FLEET + " sessions open; handshakes running "
                        + gate.running() + ", waiting " + gate.waiting());
        assertThat(gateway.connectedTerminals()).as("each session is its certificate's terminal")
                .containsExactlyInAnyOrderElementsOf(IDS);
        assertThat(gate.mostRunning()).as("never more than one handshake at once").isEqualTo(1);
        assertThat(gate.waited()).as("connections that arrived together waited their turn").isPositive();

        // the whole fleet drops and comes back at once: the same again, the gate's turn never stuck
        long admitted = gate.admitted();
        gateway.dropConnections();
        Await.until(DEADLINE, () -> gate.admitted() >= admitted + FLEET && gateway.connectedTerminals().size() == FLEET,
                () -> gateway.connectedTerminals().size() + " of " + FLEET + " back; admitted " + gate.admitted());
        assertThat(gate.mostRunning()).isEqualTo(1);

        // a certificate from another CA: refused as before; its failed handshake passes the turn on
        SyncClient stranger = client(IDS.get(0), gateway.port(), foreign);
        stranger.start();
        Await.until(DEADLINE, () -> stranger.status().reconnects() >= 2 && stranger.status().lastError() != null,
                () -> "" + stranger.status());
        assertThat(stranger.status().connected()).isFalse();
        stranger.close();
        fleet.get(1).close();
        SyncClient again = client(IDS.get(1), gateway.port(), keys);
        again.start();
        Await.until(DEADLINE, () -> again.status().connected(), () -> "after the refused stranger: " + again.status()
                + "; handshakes running " + gate.running() + ", waiting " + gate.waiting());
        Await.until(DEADLINE, () -> gate.running() == 0 && gate.waiting() == 0,
                () -> "handshakes running " + gate.running() + ", waiting " + gate.waiting());
    }

    @Test
    void idleAndStalledConnectionsFromAnAttackerDoNotKeepATerminalOut() throws Exception {
        CenterLedger ledger = CenterLedger.open(TestPostgres.freshDatabase("handshake_gate_attack"), Clock.systemUTC());
        closers.add(ledger);
        ledger.terminals().register(IDS.get(0), keys.secret(IDS.get(0)));
        ledger.startFeed();
        SyncGateway gateway = new SyncGateway(new SyncGateway.Listen("127.0.0.1", 0, keys.ca(), keys.centerCert(),
                keys.centerKey()), ledger, pool(3), pool(1), Clock.systemUTC(), 2, 1_000_000L, 1);
        closers.add(gateway);
        HandshakeGate gate = gateway.handshakeGate();
        // 20 connections that send nothing, then 5 that send the start of a ClientHello record (512 bytes
        // announced, 5 sent) and stall: before, each held the one turn until the center's 10 s handshake timeout
        for (int i = 0; i < 25; i++) {
            Socket s = new Socket("127.0.0.1", gateway.port());
            closers.add(s);
            if (i >= 20) {
                s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc});
                s.getOutputStream().flush();
            }
        }
        Await.until(Duration.ofSeconds(10), () -> gate.admitted() + gate.waiting() >= 5,
                () -> "the stalled connections never queued: admitted " + gate.admitted() + ", waiting " + gate.waiting());
        SyncClient terminal = client(IDS.get(0), gateway.port(), keys);
        terminal.start();
        Await.until(Duration.ofSeconds(15), () -> gateway.connectedTerminals().contains(IDS.get(0)),
                () -> "the terminal is kept out: handshakes running " + gate.running() + ", waiting " + gate.waiting()
                        + ", admitted " + gate.admitted() + ", outlived their turn " + gate.outlived());
        assertThat(gate.admitted()).as("idle connections never took a turn").isLessThanOrEqualTo(6);
        assertThat(gate.outlived()).as("each stalled handshake lost its turn after a second").isGreaterThanOrEqualTo(4);
    }

    private ExecutorService pool(int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        closers.add(pool::shutdownNow);
        return pool;
    }

    private SyncClient client(String id, int port, Provisioned identity) throws Exception {
        SyncClient c = new SyncClient(new SyncClientConfig("localhost", port, id, "it-1.0", identity.ca(),
                identity.cert(id), identity.key(id), Duration.ofSeconds(5), 100, Duration.ofMillis(5))
                .withReconnectSpread(Duration.ZERO), new FakeOutbox(identity.secret(id)), new FakeSink(),
                Clock.systemUTC());
        closers.add(c);
        return c;
    }
}
