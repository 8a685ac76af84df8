package com.onecard.pos.sync.client;

import com.onecard.pos.sync.DownstreamSink;
import com.onecard.pos.sync.Outbox;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.DownstreamBatch;
import com.onecard.pos.sync.proto.Envelope;
import com.onecard.pos.sync.proto.Heartbeat;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.Refusal;
import com.onecard.pos.sync.proto.UploadAck;
import com.onecard.pos.sync.proto.UploadError;
import com.onecard.pos.sync.proto.Welcome;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The session logic on an EmbeddedChannel, with the outbox read inline instead of on a thread. */
class SyncClientHandlerTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-09-01T11:30:00Z"), ZoneOffset.UTC);

    final ListOutbox outbox = new ListOutbox();
    final ManualSink sink = new ManualSink();
    SyncClient client;
    EmbeddedChannel ch;

    @AfterEach
    void tearDown() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    void connect(int batch) {
        SyncClientConfig cfg = new SyncClientConfig("localhost", 7400, "T-7", "1.2.3", Path.of("ca.pem"),
                Path.of("t.pem"), Path.of("t.key"), Duration.ofSeconds(5), batch, Duration.ZERO);
        client = new SyncClient(cfg, outbox, sink, CLOCK, new InlineExecutor());
        ch = new EmbeddedChannel(new SyncClientHandler(client));
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        ch.runPendingTasks();
    }

    List<Envelope> written() {
        ch.runPendingTasks();
        List<Envelope> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.add((Envelope) o);
        }
        return out;
    }

    void receive(Envelope e) {
        ch.writeInbound(e);
        ch.runPendingTasks();
    }

    @Test
    void helloCarriesIdentityCursorsAndAckThenWelcomeAdvancesTheOutbox() {
        outbox.add(10);
        outbox.acked = 2;
        sink.cursors.put("accounts", 17L);
        connect(4);

        Envelope hello = written().get(0);
        assertThat(hello.getHello().getTerminalId()).isEqualTo("T-7");
        assertThat(hello.getHello().getSchemaVersion()).isEqualTo(1);
        assertThat(hello.getHello().getCursorsMap()).containsEntry("accounts", 17L);
        assertThat(hello.getHello().getLastAckedSeq()).isEqualTo(2);

        receive(Envelope.newBuilder().setWelcome(Welcome.newBuilder().setAppliedSeq(5)
                .setCenterTimeMs(CLOCK.millis() + 1_000)).build());
        assertThat(outbox.acked).isEqualTo(5);
        assertThat(client.status().connected()).isTrue();
        assertThat(client.status().clockOffsetMs()).isEqualTo(1_000);
        // Resumes after the center's watermark, not after the stale local ack.
        List<Envelope> batches = written();
        assertThat(batches.get(0).getUpload().getRows(0).getSeq()).isEqualTo(6);
    }

    @Test
    void centerBehindTheLocalAckGetsTheRowsAgain() {
        outbox.add(10);
        outbox.acked = 8;
        connect(10);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.newBuilder().setAppliedSeq(6)).build());
        List<Envelope> batches = written();
        assertThat(batches.get(0).getUpload().getRowsList()).extracting(JournalRow::getSeq)
                .containsExactly(7L, 8L, 9L, 10L);
        assertThat(outbox.acked).isEqualTo(8);
    }

    @Test
    void aWelcomeWhoseHeadMacIsNotTheJournalsRowStopsUploadsWithItsOwnAlarm() {
        outbox.add(5);
        connect(10);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.newBuilder().setAppliedSeq(3).setAppliedMac(mac(99))).build());
        assertThat(client.status().journalAlarm()).contains("journal row 3").contains("not the row the center applied")
                .contains("at connect");
        assertThat(written()).noneMatch(Envelope::hasUpload);
        assertThat(outbox.acked).isZero();
    }

    @Test
    void aWelcomeWhoseHeadMacMatchesOpensTheSessionAsBefore() {
        outbox.add(5);
        connect(10);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.newBuilder().setAppliedSeq(3).setAppliedMac(mac(3))).build());
        assertThat(client.status().journalAlarm()).isNull();
        assertThat(written()).anyMatch(Envelope::hasUpload);
    }

    @Test
    void anAckWhoseHeadMacIsNotTheRowSentStopsUploads() {
        outbox.add(4);
        connect(2);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.newBuilder().setAppliedSeq(0)).build());
        written();
        receive(Envelope.newBuilder().setUploadAck(UploadAck.newBuilder().setAppliedSeq(2).setAppliedMac(mac(2))).build());
        assertThat(client.status().journalAlarm()).isNull();
        receive(Envelope.newBuilder().setUploadAck(UploadAck.newBuilder().setAppliedSeq(4).setAppliedMac(mac(7))).build());
        assertThat(client.status().journalAlarm()).contains("journal row 4").contains("in its acknowledgement");
    }

    @Test
    void aWelcomeAboveTheJournalsLastSeqIsRefusedRaisesTheAlarmAndAcksNothing() {
        outbox.add(3);
        outbox.acked = 1;
        connect(10);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.newBuilder().setAppliedSeq(7)).build());
        assertThat(outbox.acked).as("unsent rows are never marked acknowledged").isEqualTo(1);
        assertThat(client.status().journalAlarm()).contains("seq 7").contains("re-seat");
        assertThat(written()).as("no upload").noneMatch(Envelope::hasUpload);
        // Downstream still flows (lost cards above all).
        receive(Envelope.newBuilder().setDownstream(Downstream.newBuilder().setStream("blacklist").setVersion(1)).build());
        assertThat(sink.applied).hasSize(1);
    }

    @Test
    void journalDivergedStopsUploadsButKeepsTheSession() {
        outbox.add(5);
        connect(2);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.newBuilder().setAppliedSeq(0)).build());
        assertThat(written()).anyMatch(Envelope::hasUpload);
        receive(Envelope.newBuilder().setUploadError(UploadError.newBuilder()
                .setCode(UploadError.Code.JOURNAL_DIVERGED).setOffendingSeq(2).setMessage("seq 2 differs")).build());
        assertThat(ch.isOpen()).isTrue();
        assertThat(client.status().journalAlarm()).contains("JOURNAL_DIVERGED");
        receive(ack(0));
        assertThat(written()).noneMatch(Envelope::hasUpload);
        assertThat(outbox.acked).isZero();
        assertThat(client.status().journalAlarm()).as("a stray ack in the stopped session clears nothing")
                .contains("JOURNAL_DIVERGED");
    }

    @Test
    void afterTheReseatTheFirstAckOfTheNewSessionClearsTheAlarm() {
        outbox.add(5);
        connect(5);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.newBuilder().setAppliedSeq(0)).build());
        written();
        receive(Envelope.newBuilder().setUploadError(UploadError.newBuilder()
                .setCode(UploadError.Code.JOURNAL_DIVERGED).setOffendingSeq(2).setMessage("seq 2 differs")).build());
        assertThat(client.status().journalAlarm()).contains("JOURNAL_DIVERGED");
        ch.finishAndReleaseAll();
        // Re-seated at the center: the next connection is welcomed at epoch 2 from seq 0 and uploads are acked.
        ch = new EmbeddedChannel(new SyncClientHandler(client));
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        ch.runPendingTasks();
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.newBuilder().setAppliedSeq(0).setTerminalEpoch(2)).build());
        assertThat(written()).anyMatch(Envelope::hasUpload);
        assertThat(client.status().journalAlarm()).as("not before the center took a row").isNotNull();
        receive(ack(5));
        assertThat(client.status().journalAlarm()).isNull();
        assertThat(outbox.acked).isEqualTo(5);
    }

    @Test
    void refusedRowsOfAnAckReachTheOutboxAndItMovesOn() {
        List<com.onecard.pos.sync.proto.RefusedRow> seen = new ArrayList<>();
        ListOutbox refusing = new ListOutbox() {
            @Override
            public void rowsRefused(List<com.onecard.pos.sync.proto.RefusedRow> refused) {
                seen.addAll(refused);
            }
        };
        refusing.add(3);
        SyncClientConfig cfg = new SyncClientConfig("localhost", 7400, "T-7", "1.2.3", Path.of("ca.pem"),
                Path.of("t.pem"), Path.of("t.key"), Duration.ofSeconds(5), 10, Duration.ZERO);
        client = new SyncClient(cfg, refusing, sink, CLOCK, new InlineExecutor());
        ch = new EmbeddedChannel(new SyncClientHandler(client));
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.getDefaultInstance()).build());
        written();
        receive(Envelope.newBuilder().setUploadAck(UploadAck.newBuilder().setAppliedSeq(3)
                .addRefused(com.onecard.pos.sync.proto.RefusedRow.newBuilder().setSeq(2)
                        .setCode(com.onecard.pos.sync.proto.RowRefusal.REVERSAL_NO_SUCH_SALE))).build());
        assertThat(seen).extracting(com.onecard.pos.sync.proto.RefusedRow::getSeq).containsExactly(2L);
        assertThat(refusing.acked).isEqualTo(3);
    }

    @Test
    void pipelinesAtMostFourBatchesUntilAcked() {
        outbox.add(100);
        connect(10);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.getDefaultInstance()).build());
        List<Envelope> first = written();
        assertThat(first).hasSize(SyncClient.WINDOW_BATCHES);
        assertThat(first.get(3).getUpload().getRows(9).getSeq()).isEqualTo(40);
        assertThat(client.status().lastSentSeq()).isEqualTo(40);

        receive(ack(20));
        List<Envelope> next = written();
        assertThat(next).hasSize(2);
        assertThat(next.get(0).getUpload().getRows(0).getSeq()).isEqualTo(41);
        assertThat(outbox.acked).isEqualTo(20);
        assertThat(client.status().lastAckedSeq()).isEqualTo(20);
    }

    @Test
    void wakeSendsNewRowsAfterTheOutboxRanDry() {
        outbox.add(3);
        connect(10);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.getDefaultInstance()).build());
        assertThat(written()).hasSize(1);
        receive(ack(3));
        assertThat(written()).isEmpty();

        outbox.add(2);
        client.wake();
        List<Envelope> more = written();
        assertThat(more).hasSize(1);
        assertThat(more.get(0).getUpload().getRowsList()).extracting(JournalRow::getSeq).containsExactly(4L, 5L);
    }

    @Test
    void uploadErrorClosesAndRecordsWithoutSkipping() {
        outbox.add(3);
        connect(10);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.getDefaultInstance()).build());
        written();
        receive(Envelope.newBuilder().setUploadError(UploadError.newBuilder().setCode(UploadError.Code.BAD_MAC)
                .setExpectedSeq(1).setOffendingSeq(1)).build());
        assertThat(ch.isOpen()).isFalse();
        assertThat(client.status().lastError()).contains("BAD_MAC");
        assertThat(outbox.acked).isZero();
    }

    @Test
    void refusalClosesAndIsReported() {
        connect(10);
        written();
        receive(Envelope.newBuilder().setRefusal(Refusal.newBuilder().setReason(Refusal.Reason.REVOKED)).build());
        assertThat(ch.isOpen()).isFalse();
        assertThat(client.status().connected()).isFalse();
        assertThat(client.status().lastError()).contains("REVOKED");
    }

    @Test
    void downstreamIsAckedOnlyAfterTheSinkCommits() {
        connect(10);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.getDefaultInstance()).build());
        written();
        receive(Envelope.newBuilder().setDownstream(Downstream.newBuilder().setStream("accounts").setVersion(9)
                .setAccount(AccountUpdate.newBuilder().setAccountId(1))).build());
        assertThat(sink.applied).hasSize(1);
        assertThat(written()).isEmpty();

        sink.pending.get(0).complete(null);
        List<Envelope> acks = written();
        assertThat(acks).hasSize(1);
        assertThat(acks.get(0).getDownstreamAck().getStream()).isEqualTo("accounts");
        assertThat(acks.get(0).getDownstreamAck().getVersion()).isEqualTo(9);
    }

    @Test
    void readingPausesWhileTooManyChangesWaitForTheTerminalAndResumesWhenItCatchesUp() {
        connect(10);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.getDefaultInstance()).build());
        written();
        for (int v = 1; v < SyncClient.DOWNSTREAM_HIGH_MARK; v++) {
            receive(Envelope.newBuilder().setDownstream(Downstream.newBuilder().setStream("accounts").setVersion(v)
                    .setAccount(AccountUpdate.newBuilder().setAccountId(v))).build());
        }
        assertThat(ch.config().isAutoRead()).as("below the high mark").isTrue();
        receive(Envelope.newBuilder().setDownstream(Downstream.newBuilder().setStream("accounts")
                .setVersion(SyncClient.DOWNSTREAM_HIGH_MARK).setAccount(AccountUpdate.newBuilder().setAccountId(1))).build());
        assertThat(ch.config().isAutoRead()).as("at the high mark").isFalse();
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertThat(ch.isActive()).as("a pause is not a silent center").isTrue();

        int toLow = SyncClient.DOWNSTREAM_HIGH_MARK - SyncClient.DOWNSTREAM_LOW_MARK;
        for (int i = 0; i < toLow - 1; i++) {
            sink.pending.get(i).complete(null);
        }
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).as("one above the low mark").isFalse();
        sink.pending.get(toLow - 1).complete(null);
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).as("at the low mark").isTrue();
        assertThat(written()).as("each burst committed is acknowledged once, with its newest version")
                .extracting(e -> e.getDownstreamAck().getVersion()).containsExactly((long) toLow - 1, (long) toLow);
    }

    @Test
    void authResponseCompletesTheMatchingRequest() throws Exception {
        connect(10);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.getDefaultInstance()).build());
        written();
        CompletableFuture<AuthResponse> f = client.authorize(AuthRequest.newBuilder().setSaleId("s1").build(),
                Duration.ofSeconds(1));
        Envelope req = written().get(0);
        assertThat(req.getCorrelationId()).isPositive();
        receive(Envelope.newBuilder().setCorrelationId(req.getCorrelationId())
                .setAuthResponse(AuthResponse.newBuilder().setApproved(true)).build());
        assertThat(f.get(1, TimeUnit.SECONDS).getApproved()).isTrue();
    }

    @Test
    void heartbeatEchoGivesClockOffsetAndSilenceCloses() {
        connect(10);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.getDefaultInstance()).build());
        receive(Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setEchoOfMs(CLOCK.millis())
                .setSentAtMs(CLOCK.millis() - 250)).build());
        assertThat(client.status().clockOffsetMs()).isEqualTo(-250);
        assertThat(client.status().lastContact()).isEqualTo(CLOCK.instant());

        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertThat(ch.isOpen()).isFalse();
        assertThat(client.status().lastError()).contains("nothing read");
    }

    @Test
    void silenceDuringTheTlsHandshakeIsLeftToTheHandshakesOwnTimeout() {
        SyncClientConfig cfg = new SyncClientConfig("localhost", 7400, "T-7", "1.2.3", Path.of("ca.pem"),
                Path.of("t.pem"), Path.of("t.key"), Duration.ofSeconds(5), 10, Duration.ZERO);
        client = new SyncClient(cfg, outbox, sink, CLOCK, new InlineExecutor());
        ch = new EmbeddedChannel(new SyncClientHandler(client));
        // queued behind the center's handshake bound: 3 heartbeats of nothing before the handshake ended
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertThat(ch.isOpen()).as("still waiting for its handshake (30 s)").isTrue();
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        ch.runPendingTasks();
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertThat(ch.isOpen()).as("after the handshake, silence counts").isFalse();
    }

    @Test
    void aBatchOfMoreChangesThanACenterSendsIsRefusedAndNothingOfItApplied() {
        connect(10);
        written();
        receive(Envelope.newBuilder().setWelcome(Welcome.getDefaultInstance()).build());
        written();
        DownstreamBatch.Builder big = DownstreamBatch.newBuilder();
        for (int v = 1; v <= SyncClientHandler.MAX_BATCH_CHANGES + 1; v++) {
            big.addChanges(Downstream.newBuilder().setStream("accounts").setVersion(v)
                    .setAccount(AccountUpdate.newBuilder().setAccountId(v)));
        }
        receive(Envelope.newBuilder().setDownstreamBatch(big).build());
        assertThat(sink.applied).isEmpty();
        assertThat(ch.isOpen()).isFalse();
        assertThat(client.status().lastError()).contains("batch of 1025 changes");
    }

    private static Envelope ack(long seq) {
        return Envelope.newBuilder().setUploadAck(UploadAck.newBuilder().setAppliedSeq(seq)).build();
    }

    /** A stand-in row MAC: 32 bytes that say which row. */
    static com.google.protobuf.ByteString mac(long seq) {
        byte[] m = new byte[32];
        java.util.Arrays.fill(m, (byte) seq);
        return com.google.protobuf.ByteString.copyFrom(m);
    }

    static class ListOutbox implements Outbox {
        final List<JournalRow> rows = new ArrayList<>();
        long acked;

        void add(int n) {
            for (int i = 0; i < n; i++) {
                long seq = rows.size() + 1L;
                rows.add(JournalRow.newBuilder().setSeq(seq).setAmountFen(100).setMac(mac(seq)).build());
            }
        }

        @Override
        public List<JournalRow> rowsAfter(long afterSeq, int max) {
            int from = (int) Math.min(afterSeq, rows.size());
            return List.copyOf(rows.subList(from, Math.min(rows.size(), from + max)));
        }

        @Override
        public void acknowledged(long seq) {
            acked = Math.max(acked, seq);
        }

        @Override
        public long lastAcknowledged() {
            return acked;
        }
    }

    static final class ManualSink implements DownstreamSink {
        final Map<String, Long> cursors = new java.util.HashMap<>();
        final List<Downstream> applied = new ArrayList<>();
        final List<CompletableFuture<Void>> pending = new ArrayList<>();

        @Override
        public Map<String, Long> cursors() {
            return cursors;
        }

        @Override
        public CompletionStage<Void> apply(Downstream change) {
            applied.add(change);
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }
    }

    /** Runs outbox reads on the caller (the embedded loop), which keeps the test single-threaded. */
    static final class InlineExecutor extends AbstractExecutorService {
        private boolean shutdown;

        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
