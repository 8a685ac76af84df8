package com.onecard.pos.center.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.testing.AppFixture;
import com.onecard.pos.center.testing.Await;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.center.testing.FakeSink;
import com.onecard.pos.center.testing.Provisioned;
import com.onecard.pos.sync.Outbox;
import com.onecard.pos.sync.TerminalHealth;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.sync.client.SyncClientConfig;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The card office's fleet page learns a terminal's backlog and reader state from its heartbeats:
 * real PostgreSQL, the real sync gateway on loopback TLS, a real SyncClient, and GET
 * /api/v1/admin/terminals as an admin logged in the real way.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FleetHealthIT {
    static final String T1 = "T-FLEET-1";
    static final String T2 = "T-FLEET-2";
    static final long ACCOUNT = 1001;
    static final byte[] UID = {0x04, 0x11, 0x22, 0x33};
    static final Duration DEADLINE = Duration.ofSeconds(30);
    /** FakeOutbox's sale time. */
    static final long SALE_TIME_MS = 1_700_000_000_000L;

    @TempDir
    static Path keysDir;
    static Provisioned keys;
    @TempDir
    Path work;

    final List<AutoCloseable> closers = new ArrayList<>();

    @BeforeAll
    static void provision() throws Exception {
        keys = Provisioned.run(keysDir, T1, T2);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
    }

    /** The terminal's journal, whose uploads can be held back (rows stay unsent, as with a stalled link). */
    static final class HeldOutbox implements Outbox {
        final FakeOutbox journal;
        final AtomicBoolean held = new AtomicBoolean(true);

        HeldOutbox(FakeOutbox journal) {
            this.journal = journal;
        }

        @Override
        public List<JournalRow> rowsAfter(long afterSeq, int max) {
            return held.get() ? List.of() : journal.rowsAfter(afterSeq, max);
        }

        @Override
        public void acknowledged(long seq) {
            journal.acknowledged(seq);
        }

        @Override
        public long lastAcknowledged() {
            return journal.lastAcknowledged();
        }

        /** What a terminal computes from its store: the rows after the acknowledged seq. */
        TerminalHealth health(long nowMs, String readerState) {
            List<JournalRow> unsent = journal.rowsAfter(journal.lastAcknowledged(), 1_000);
            long sum = unsent.stream().mapToLong(JournalRow::getAmountFen).sum();
            long oldest = unsent.stream().mapToLong(JournalRow::getTimeMs).min().orElse(nowMs);
            return new TerminalHealth(unsent.size(), sum, nowMs - oldest, readerState);
        }
    }

    @Test
    void aTerminalsBacklogAndReaderStateReachTheCardOfficeWithItsHeartbeat() throws Exception {
        AppFixture f = new AppFixture("fleet_health", work);
        closers.add(f);
        f.ledger.terminals().register(T1, keys.secret(T1));
        f.ledger.terminals().register(T2, keys.secret(T2));
        f.ledger.accounts().open(ACCOUNT, UID, 1, "Li Hua", 10_000_000, 500, "", 0);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        ExecutorService authPool = Executors.newFixedThreadPool(1);
        closers.add(pool::shutdownNow);
        closers.add(authPool::shutdownNow);
        SyncGateway gateway = new SyncGateway(new SyncGateway.Listen("127.0.0.1", 0, keys.ca(), keys.centerCert(),
                keys.centerKey()), f.ledger, pool, authPool, f.clock);
        closers.add(gateway);
        // wired as Center wires them
        f.app.connectedTerminals(gateway::connectedTerminals);
        f.app.terminalHealth(gateway::terminalHealth);
        f.app.users().enrolAdmin("office1", f.app.hasher().hash("office-pass-1"), "13500135000");
        String admin = f.loginReply("13500135000", "office1", "office-pass-1", "device-office").path("access_token").asText();

        // T1: three sales of 4.50, 3.00 and 12.00 yuan in its journal, none sent yet; reader degraded
        HeldOutbox outbox = new HeldOutbox(new FakeOutbox(keys.secret(T1)));
        outbox.journal.append(FakeOutbox.sale(ACCOUNT, UID, 450).setTimeMs(SALE_TIME_MS));
        outbox.journal.append(FakeOutbox.sale(ACCOUNT, UID, 300).setTimeMs(SALE_TIME_MS + 20_000));
        outbox.journal.append(FakeOutbox.sale(ACCOUNT, UID, 1200).setTimeMs(SALE_TIME_MS + 40_000));
        Clock terminalClock = Clock.fixed(java.time.Instant.ofEpochMilli(SALE_TIME_MS + 95_000), java.time.ZoneOffset.UTC);
        SyncClient t1 = client(T1, gateway.port(), outbox);
        t1.reportHealth(() -> outbox.health(terminalClock.millis(), "DEGRADED"));
        t1.start();
        // T2: an older terminal that sends no report
        SyncClient t2 = client(T2, gateway.port(), new FakeOutbox(keys.secret(T2)));
        t2.start();

        Await.until(DEADLINE, () -> item(f, admin, T1).has("health") && item(f, admin, T2).path("connected").asBoolean(),
                () -> "fleet " + f.client.get("/api/v1/admin/terminals", admin));
        JsonNode h = item(f, admin, T1).path("health");
        assertThat(h.path("backlog_count").asLong()).isEqualTo(3);
        assertThat(h.path("backlog_fen").asLong()).isEqualTo(1950);
        assertThat(h.path("backlog_yuan").asText()).isEqualTo("19.50");
        assertThat(h.path("oldest_unsent_age_ms").asLong()).isEqualTo(95_000);
        assertThat(h.path("reader_state").asText()).isEqualTo("DEGRADED");
        assertThat(item(f, admin, T1).path("connected").asBoolean()).isTrue();
        assertThat(item(f, admin, T2).has("health")).as("a terminal without the report shows none").isFalse();

        // the link recovers: the three rows are applied and acknowledged, the next report says so
        outbox.held.set(false);
        t1.wake();
        Await.until(DEADLINE, () -> item(f, admin, T1).path("health").path("backlog_count").asLong(-1) == 0,
                () -> "fleet " + f.client.get("/api/v1/admin/terminals", admin));
        assertThat(item(f, admin, T1).path("applied_seq").asLong()).isEqualTo(3);
        assertThat(item(f, admin, T1).path("health").path("backlog_fen").asLong()).isZero();
        assertThat(item(f, admin, T1).path("health").path("oldest_unsent_age_ms").asLong()).isZero();
    }

    private SyncClient client(String id, int port, Outbox outbox) throws Exception {
        SyncClient c = new SyncClient(new SyncClientConfig("localhost", port, id, "it-1.0", keys.ca(), keys.cert(id),
                keys.key(id), Duration.ofMillis(500), 100, Duration.ofMillis(5)), outbox, new FakeSink(), Clock.systemUTC());
        closers.add(c);
        return c;
    }

    private static JsonNode item(AppFixture f, String admin, String terminalId) {
        for (JsonNode n : f.client.get("/api/v1/admin/terminals", admin).path("items")) {
            if (n.path("terminal_id").asText().equals(terminalId)) {
                return n;
            }
        }
        throw new AssertionError("terminal " + terminalId + " not in the fleet view");
    }
}
