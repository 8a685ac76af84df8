package com.onecard.pos.sync.client;

import com.onecard.pos.sync.proto.AuthResponse;
import com.onecard.pos.sync.SyncFeatures;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.DownstreamBatch;
import com.onecard.pos.sync.proto.DownstreamAck;
import com.onecard.pos.sync.proto.Envelope;
import com.onecard.pos.sync.proto.Heartbeat;
import com.onecard.pos.sync.proto.Hello;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.QrCancel;
import com.onecard.pos.sync.proto.Refusal;
import com.onecard.pos.sync.proto.UploadAck;
import com.onecard.pos.sync.proto.UploadBatch;
import com.onecard.pos.sync.proto.UploadError;
import com.onecard.pos.sync.proto.Welcome;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One session's protocol logic on the terminal. All fields are confined to the channel's
 * event loop; outbox and sink reads hop to the client's reader thread and come back.
 *
 * <p>States: TLS handshake → Hello sent → open (Welcome) → closed. Refusal or any error
 * closes the channel and the client reconnects with backoff.
 */
final class SyncClientHandler extends SimpleChannelInboundHandler<Envelope> {
    private static final Logger log = LoggerFactory.getLogger(SyncClientHandler.class);

    private final SyncClient client;
    private final String terminalId;
    private ChannelHandlerContext ctx;
    private boolean open;
    private String endReason;
    private long helloSentAtMs;

    // Upload window: last seq of each batch on the wire, oldest first.
    private final ArrayDeque<Long> inflight = new ArrayDeque<>();
    /** MAC of the last row of each batch on the wire, to check against the center's anchor in its ack. */
    private final java.util.TreeMap<Long, com.google.protobuf.ByteString> sentHeads = new java.util.TreeMap<>();
    private long lastSent;
    private long acked;
    private boolean reading;
    private boolean rereadWanted;
    private boolean drained;
    /** Uploads stopped for this session: the journal and the center's record of it disagree. */
    private boolean uploadsStopped;
    private ScheduledFuture<?> linger;
    private ScheduledFuture<?> heartbeat;
    /** Downstream changes handed to the sink and not yet applied; reading pauses above the high mark. */
    private int applying;
    /** Per stream, the newest version committed and not yet acknowledged; loop only. */
    private final java.util.Map<String, Long> ackPending = new java.util.LinkedHashMap<>();
    /** A write and flush of {@link #ackPending} queued on the loop. */
    private boolean ackFlushPending;

    /**
     * The most changes one DownstreamBatch may hold: a center sends at most 256 (docs/protocol.md);
     * a larger one is refused and the connection closed, so a faulty center cannot queue an unbounded
     * number of changes on the terminal past the back-pressure that pauses reading between frames.
     */
    static final int MAX_BATCH_CHANGES = 1024;
    /** The TLS handshake has succeeded: from then on, silence from the center counts. */
    private boolean handshakeDone;

    SyncClientHandler(SyncClient client) {
        super(Envelope.class);
        this.client = client;
        this.terminalId = client.config.terminalId();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent hs) {
            if (hs.isSuccess()) {
                handshakeDone = true;
                sendHello();
            } else {
                endReason = "TLS handshake with center failed: " + hs.cause().getMessage();
                log.warn("terminal {}: {}", terminalId, endReason);
                ctx.close();
            }
        } else if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            if (!ctx.channel().config().isAutoRead()) {
                return; // nothing read because we paused reading, not because the center went silent
            }
            if (!handshakeDone) {
                return; // still in the TLS handshake (perhaps queued behind the center's bound): its own timeout, 30 s, decides
            }
            endReason = "nothing read from center for " + client.config.heartbeat().multipliedBy(3).toMillis() + " ms";
            log.warn("terminal {}: {}, closing", terminalId, endReason);
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private void sendHello() {
        readOffLoop(() -> {
            Map<String, Long> cursors = client.sink.cursors();
            long lastAck = client.outbox.lastAcknowledged();
            return new Object[] {cursors, lastAck};
        }, r -> {
            @SuppressWarnings("unchecked")
            Map<String, Long> cursors = (Map<String, Long>) r[0];
            acked = (Long) r[1];
            helloSentAtMs = client.clock.millis();
            Hello hello = Hello.newBuilder()
                    .setTerminalId(terminalId)
                    .setFirmwareVersion(client.config.firmwareVersion())
                    .setSchemaVersion(SyncClient.SCHEMA_VERSION)
                    .putAllCursors(cursors)
                    .setLastAckedSeq(acked)
                    .setTerminalTimeMs(helloSentAtMs)
                    .addFeatures(SyncFeatures.DOWNSTREAM_BATCH)
                    .build();
            ctx.writeAndFlush(Envelope.newBuilder().setHello(hello).build());
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope env) {
        client.lastContact = client.clock.instant();
        switch (env.getBodyCase()) {
            case WELCOME -> onWelcome(env.getWelcome());
            case REFUSAL -> onRefusal(env.getRefusal());
            case UPLOAD_ACK -> onUploadAck(env.getUploadAck());
            case UPLOAD_ERROR -> onUploadError(env.getUploadError());
            case AUTH_RESPONSE -> onAuthResponse(env.getCorrelationId(), env.getAuthResponse());
            case DOWNSTREAM -> onDownstream(env.getDownstream());
            case DOWNSTREAM_BATCH -> onDownstreamBatch(env.getDownstreamBatch());
            case HEARTBEAT -> onHeartbeat(env.getHeartbeat());
            default -> log.debug("terminal {}: ignoring unexpected {} from center", terminalId, env.getBodyCase());
        }
    }

    private void onWelcome(Welcome w) {
        if (open) {
            return;
        }
        long applied = w.getAppliedSeq();
        if (applied == 0) {
            openSession(w);
            return;
        }
        // The center says it applied up to `applied`: this journal must hold that row, or it is
        // not the journal the center applied (restored from a backup, replaced, re-provisioned).
        readOffLoop(() -> client.outbox.rowsAfter(applied - 1, 1), rows -> {
            if (rows.isEmpty() || rows.get(0).getSeq() != applied) {
                String alarm = "the center applied this terminal's journal up to seq " + applied
                        + " but the journal here ends before it: rows were removed from its end or an older copy was"
                        + " restored (restored from a backup or replaced?); uploads stop, sales go on offline; re-seat"
                        + " the terminal at the center (scripts/center terminal reseat " + terminalId + ")";
                stopUploads(alarm);
                openSession(w.toBuilder().setAppliedSeq(acked).build());
            } else if (!w.getAppliedMac().isEmpty() && !w.getAppliedMac().equals(rows.get(0).getMac())) {
                stopUploads(divergedAlarm(applied, "at connect"));
                openSession(w.toBuilder().setAppliedSeq(acked).build());
            } else {
                openSession(w);
            }
        });
    }

    /** The center's anchor (the MAC it holds for {@code seq}) and this journal's row there differ. */
    private String divergedAlarm(long seq, String when) {
        return "journal row " + seq + " here is not the row the center applied (its MAC differs from the center's"
                + " anchor " + when + "): this journal was rewritten or swapped; uploads stop, sales go on offline;"
                + " keep the files for the card center and re-seat the terminal (scripts/center terminal reseat "
                + terminalId + ")";
    }

    /** Checks the center's head (sent with an ack) against this journal's row at that sequence. */
    private void checkAnchor(long seq, com.google.protobuf.ByteString centerMac) {
        com.google.protobuf.ByteString sent = sentHeads.remove(seq);
        sentHeads.headMap(seq).clear();
        if (sent != null) {
            if (!sent.equals(centerMac)) {
                stopUploads(divergedAlarm(seq, "in its acknowledgement"));
                inflight.clear();
            }
            return;
        }
        readOffLoop(() -> client.outbox.rowsAfter(seq - 1, 1), rows -> {
            if (!rows.isEmpty() && rows.get(0).getSeq() == seq && !rows.get(0).getMac().equals(centerMac)) {
                stopUploads(divergedAlarm(seq, "in its acknowledgement"));
                inflight.clear();
            }
        });
    }

    private void stopUploads(String alarm) {
        uploadsStopped = true;
        client.journalAlarm = alarm;
        log.error("terminal {}: {}", terminalId, alarm);
    }

    private void openSession(Welcome w) {
        if (open || !ctx.channel().isActive()) {
            return;
        }
        open = true;
        long now = client.clock.millis();
        client.clockOffsetMs = w.getCenterTimeMs() - (helloSentAtMs + (now - helloSentAtMs) / 2);
        if (w.getAppliedSeq() > acked) {
            // The center applied rows whose ack we never saw (link cut after commit).
            acked = w.getAppliedSeq();
            client.outbox.acknowledged(acked);
        }
        if (w.getAppliedSeq() < acked) {
            // The center lost rows it had acknowledged (restored from a backup): resend them.
            log.warn("terminal {}: center applied_seq {} is below the acknowledged {}, resending from there",
                    terminalId, w.getAppliedSeq(), acked);
        }
        // Restart from what the center holds; it ignores anything at or below its watermark.
        lastSent = w.getAppliedSeq();
        client.lastAckedSeq = acked;
        client.lastSentSeq = lastSent;
        client.sessionOpened(this);
        log.info("terminal {}: session open, center applied_seq={}, clock offset {} ms", terminalId,
                w.getAppliedSeq(), client.clockOffsetMs);
        long hb = client.config.heartbeat().toMillis();
        heartbeat = ctx.executor().scheduleAtFixedRate(this::heartbeatTick, hb, hb, TimeUnit.MILLISECONDS);
        QrCancel c;
        while ((c = client.queuedCancels.poll()) != null) {
            ctx.write(Envelope.newBuilder().setQrCancel(c).build());
        }
        ctx.flush();
        pump();
    }

    private void onRefusal(Refusal r) {
        endReason = "center refused session: " + r.getReason() + " " + r.getMessage();
        log.warn("terminal {}: {}", terminalId, endReason);
        ctx.close();
    }

    private void onUploadAck(UploadAck ack) {
        if (client.journalAlarm != null && !uploadsStopped) {
            // A session that uploads and is acked: the center takes this journal again (re-seated), the alarm is over.
            log.info("terminal {}: the center accepts this journal again (ack of seq {}); journal alarm cleared",
                    terminalId, ack.getAppliedSeq());
            client.journalAlarm = null;
        }
        if (ack.getRefusedCount() > 0) {
            client.outbox.rowsRefused(ack.getRefusedList());
        }
        long applied = ack.getAppliedSeq();
        while (!inflight.isEmpty() && inflight.peekFirst() <= applied) {
            inflight.pollFirst();
        }
        if (applied > 0 && !ack.getAppliedMac().isEmpty()) {
            checkAnchor(applied, ack.getAppliedMac());
        }
        if (applied > acked) {
            acked = applied;
            client.lastAckedSeq = applied;
            client.outbox.acknowledged(applied);
            client.progressMade();
        }
        pump();
    }

    private void onUploadError(UploadError e) {
        endReason = "center rejected upload: " + e.getCode() + " expected_seq=" + e.getExpectedSeq()
                + " offending_seq=" + e.getOffendingSeq() + " " + e.getMessage();
        log.error("terminal {}: {}", terminalId, endReason);
        client.outbox.uploadRefused(e);
        if (e.getCode() == UploadError.Code.JOURNAL_DIVERGED) {
            // Quarantined at the center: keep the session for lost cards and balances, upload nothing.
            stopUploads("the center refused this journal at seq " + e.getOffendingSeq() + " (JOURNAL_DIVERGED: "
                    + e.getMessage() + "); uploads stop, sales go on offline; re-seat the terminal at the center");
            inflight.clear();
            return;
        }
        // Rows are never skipped: drop the session and resend from the center's watermark.
        ctx.close();
    }

    private void onAuthResponse(long correlationId, AuthResponse r) {
        CompletableFuture<AuthResponse> f = client.pendingAuth.remove(correlationId);
        if (f == null) {
            log.debug("terminal {}: late auth response {} dropped", terminalId, correlationId);
            return;
        }
        f.complete(r);
    }

    /**
     * Several changes in one frame (feature {@code downstream_batch}, listed in our Hello): each is
     * applied and acknowledged exactly as if it had come in its own Envelope, in the frame's order.
     */
    private void onDownstreamBatch(DownstreamBatch batch) {
        if (batch.getChangesCount() > MAX_BATCH_CHANGES) {
            endReason = "the center sent a batch of " + batch.getChangesCount() + " changes (at most "
                    + MAX_BATCH_CHANGES + ")";
            log.warn("terminal {}: {}, closing", terminalId, endReason);
            ctx.close();
            return;
        }
        for (Downstream d : batch.getChangesList()) {
            onDownstream(d);
        }
    }

    private void onDownstream(Downstream d) {
        String stream = d.getStream();
        long version = d.getVersion();
        if (++applying >= SyncClient.DOWNSTREAM_HIGH_MARK && ctx.channel().config().isAutoRead()) {
            // back-pressure: the terminal applies changes slower than they come (a fleet-wide drain);
            // stop reading until it catches up, so its queue stays bounded and taps go first
            ctx.channel().config().setAutoRead(false);
            log.debug("terminal {}: {} downstream changes in flight, pausing reads", terminalId, applying);
        }
        client.sink.apply(d).whenComplete((ok, err) -> onLoop(() -> {
            if (--applying <= SyncClient.DOWNSTREAM_LOW_MARK && !ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
                log.debug("terminal {}: downstream caught up, reading again", terminalId);
            }
            if (err != null) {
                // Not acked: the center replays from our cursor on the next session.
                client.lastError = "applying " + stream + " v" + version + " failed: " + err.getMessage();
                log.warn("terminal {}: {}", terminalId, client.lastError);
                return;
            }
            committed(stream, version);
        }));
    }

    /**
     * On the loop: a change is committed. An acknowledgement names the newest version of its
     * stream committed here (the center reads it as "committed up to"), so a burst of changes
     * committed together (a replay, or a busy center's balances: hundreds at once) is acknowledged
     * once per stream, in one flush behind the completions already queued. One message per change
     * was four fifths of a terminal's loop time in the ingest benchmark (JFR), and its decoding a
     * large part of the center's reads.
     */
    private void committed(String stream, long version) {
        ackPending.merge(stream, version, Math::max);
        if (!ackFlushPending) {
            ackFlushPending = true;
            onLoop(() -> {
                ackFlushPending = false;
                for (java.util.Map.Entry<String, Long> e : ackPending.entrySet()) {
                    ctx.write(Envelope.newBuilder().setDownstreamAck(DownstreamAck.newBuilder()
                            .setStream(e.getKey()).setVersion(e.getValue())).build());
                }
                ackPending.clear();
                ctx.flush();
            });
        }
    }

    private void onHeartbeat(Heartbeat h) {
        long now = client.clock.millis();
        if (h.getEchoOfMs() != 0) {
            long rtt = Math.max(0, now - h.getEchoOfMs());
            client.clockOffsetMs = h.getSentAtMs() - (h.getEchoOfMs() + rtt / 2);
            client.progressMade();
        } else {
            ctx.writeAndFlush(Envelope.newBuilder()
                    .setHeartbeat(Heartbeat.newBuilder().setSentAtMs(now).setEchoOfMs(h.getSentAtMs()))
                    .build());
        }
    }

    private void heartbeatTick() {
        java.util.function.Supplier<com.onecard.pos.sync.TerminalHealth> source = client.health;
        if (source == null) {
            sendHeartbeat(null);
        } else {
            readOffLoop(() -> {
                try {
                    return java.util.Optional.ofNullable(source.get());
                } catch (RuntimeException e) {
                    log.warn("terminal {}: reading its health for the center failed, heartbeat sent without it: {}",
                            terminalId, e.getMessage());
                    return java.util.Optional.<com.onecard.pos.sync.TerminalHealth>empty();
                }
            }, h -> sendHeartbeat(h.orElse(null)));
        }
        // A safety net for a missed wake(): look at the outbox once per heartbeat.
        drained = false;
        pump();
    }

    private void sendHeartbeat(com.onecard.pos.sync.TerminalHealth health) {
        if (!ctx.channel().isActive()) {
            return;
        }
        Heartbeat.Builder hb = Heartbeat.newBuilder().setSentAtMs(client.clock.millis());
        if (health != null) {
            hb.setFleetReport(health.toProto());
        }
        ctx.writeAndFlush(Envelope.newBuilder().setHeartbeat(hb).build());
    }

    /** Runs on this channel's event loop; dropped when the client is closing. */
    private void onLoop(Runnable r) {
        try {
            ctx.executor().execute(r);
        } catch (RejectedExecutionException shuttingDown) {
            // the session is gone; an unacknowledged change is sent again on the next one
        }
    }

    /** From any thread. */
    void wake() {
        try {
            ctx.executor().execute(this::onWake);
        } catch (RejectedExecutionException shuttingDown) {
            // The client is closing; the rows stay in the outbox.
        }
    }

    private void onWake() {
        drained = false;
        long lingerMs = client.config.batchLinger().toMillis();
        if (lingerMs == 0 || !inflight.isEmpty()) {
            // With batches in flight the next ack pulls the new rows anyway.
            pump();
        } else if (linger == null || linger.isDone()) {
            linger = ctx.executor().schedule(this::pump, lingerMs, TimeUnit.MILLISECONDS);
        }
    }

    io.netty.channel.Channel channel() {
        return ctx.channel();
    }

    boolean sendCancel(QrCancel cancel) {
        if (!ctx.channel().isActive()) {
            return false;
        }
        ctx.writeAndFlush(Envelope.newBuilder().setQrCancel(cancel).build());
        return true;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        pump();
        ctx.fireChannelWritabilityChanged();
    }

    /** Read the next batch if the window, the socket and the outbox allow. */
    private void pump() {
        if (!open || uploadsStopped || !ctx.channel().isActive()) {
            return;
        }
        if (reading) {
            rereadWanted = true;
            return;
        }
        if (drained || inflight.size() >= SyncClient.WINDOW_BATCHES || !ctx.channel().isWritable()) {
            return;
        }
        reading = true;
        rereadWanted = false;
        long after = lastSent;
        int max = client.config.batchMaxRows();
        readOffLoop(() -> client.outbox.rowsAfter(after, max), rows -> onRows(after, rows));
    }

    private void onRows(long after, List<JournalRow> rows) {
        reading = false;
        if (!open || !ctx.channel().isActive() || after != lastSent) {
            return;
        }
        if (rows.isEmpty()) {
            drained = !rereadWanted;
            if (rereadWanted) {
                pump();
            }
            return;
        }
        long last = rows.get(rows.size() - 1).getSeq();
        ctx.writeAndFlush(Envelope.newBuilder().setUpload(UploadBatch.newBuilder().addAllRows(rows)).build());
        inflight.addLast(last);
        sentHeads.put(last, rows.get(rows.size() - 1).getMac());
        lastSent = last;
        client.lastSentSeq = last;
        if (rows.size() < client.config.batchMaxRows() && !rereadWanted) {
            drained = true;
        }
        pump();
    }

    /** Runs {@code read} on the client's reader thread and {@code then} back on this channel's loop. */
    private <T> void readOffLoop(java.util.concurrent.Callable<T> read, java.util.function.Consumer<T> then) {
        try {
            client.outboxReader.execute(() -> {
                T value;
                try {
                    value = read.call();
                } catch (Exception e) {
                    String why = "reading the terminal's outbox failed: " + e.getMessage();
                    backOnLoop(() -> {
                        reading = false;
                        endReason = why;
                        log.error("terminal {}: {}", terminalId, why, e);
                        ctx.close();
                    });
                    return;
                }
                backOnLoop(() -> then.accept(value));
            });
        } catch (RejectedExecutionException closing) {
            ctx.close();
        }
    }

    /**
     * From the outbox reader: back to this channel's loop. When the client was closed during the
     * read, the loop has terminated and the result is dropped (the rows stay in the outbox).
     */
    private void backOnLoop(Runnable r) {
        try {
            ctx.executor().execute(r);
        } catch (RejectedExecutionException closed) {
            log.debug("terminal {}: outbox read finished after the client closed; dropped", terminalId);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open = false;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (linger != null) {
            linger.cancel(false);
        }
        inflight.clear();
        client.sessionEnded(this, endReason);
        log.info("terminal {}: connection to center closed{}", terminalId, endReason == null ? "" : " (" + endReason + ")");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        endReason = "sync connection error: " + cause.getMessage();
        log.warn("terminal {}: {}", terminalId, endReason);
        ctx.close();
    }
}
