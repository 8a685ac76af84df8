package com.onecard.pos.center.sync;

import com.onecard.pos.center.feed.EncodedAccountUpdate;
import com.onecard.pos.center.feed.TerminalSubscriber;
import com.onecard.pos.center.ledger.IngestResult;
import com.onecard.pos.center.ledger.Replay;
import com.onecard.pos.center.ledger.TerminalRegistry;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.Envelope;
import com.onecard.pos.sync.TerminalHealth;
import com.onecard.pos.sync.proto.Heartbeat;
import com.onecard.pos.sync.proto.HoldRelease;
import com.onecard.pos.sync.SyncFeatures;
import com.onecard.pos.sync.proto.Hello;
import com.onecard.pos.sync.proto.Refusal;
import com.onecard.pos.sync.proto.UploadAck;
import com.onecard.pos.sync.proto.UploadBatch;
import com.onecard.pos.sync.proto.Welcome;
import com.onecard.pos.sync.tls.SyncTls;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One terminal session at the center: handshake → Hello → open → closed. Netty threads only
 * parse and write. Uploads, the session's opening and QR cancels run in order on the session's
 * own serial lane of the shared database pool (an upload there only joins the ingest writer's
 * queue); online authorizations run on a pool of their
 * own, so a long batch or a fleet's replays never queue in front of a sale's authorization.
 * Downstream changes go through a bounded {@link PushQueue} that writes only while the socket
 * takes more.
 *
 * <p>The session is open once Welcome is written and the small, urgent streams are replayed
 * ({@link Replay#URGENT}: lost cards, QR paid notices, messages, configuration); the bulk of the
 * replay (accounts, photos) then waits for one of the instance's {@link ReplaySlots} and holds it
 * until the terminal has acknowledged the last change of it, so a fleet reconnecting at once
 * replays a few terminals at a time while every terminal's authorizations are answered.
 */
final class SyncSessionHandler extends SimpleChannelInboundHandler<Envelope> implements TerminalSubscriber {
    static final int SCHEMA_VERSION = 1;
    private static final Logger log = LoggerFactory.getLogger(SyncSessionHandler.class);

    private final SessionServices s;
    /** The newest report of this session's terminal; written on this channel's loop, read by the office page. */
    private volatile TerminalHealth health;
    private final Executor lane;
    /** Live changes of the {@link Replay#URGENT} streams around their replay at the session's opening. */
    private final ReplayGate urgentGate;
    /** Live changes of the {@link Replay#BULK} streams (accounts, photos) around their replay in turn. */
    private final ReplayGate bulkGate;
    private ChannelHandlerContext ctx;
    private PushQueue queue;
    private volatile String campus;
    private volatile String certTerminalId;
    private volatile String terminalId;
    private boolean helloSeen;
    private volatile boolean open;
    /** The clock offset last written to the registry, and when (center ms); Netty thread only. */
    private long recordedOffsetMs;
    private long recordedAtMs = NEVER_RECORDED;
    /** Long ago, yet {@code now - NEVER_RECORDED} does not overflow (Long.MIN_VALUE did: never "a minute ago"). */
    private static final long NEVER_RECORDED = Long.MIN_VALUE / 2;
    /** Whether this session holds a replay slot not yet given back. */
    private final java.util.concurrent.atomic.AtomicBoolean slotHeld = new java.util.concurrent.atomic.AtomicBoolean();
    /**
     * Per stream, the newest version the replay sent that the terminal has not acknowledged yet;
     * guarded by itself, with {@link #replayWritten}.
     */
    private final java.util.Map<String, Long> replayUnacked = new java.util.HashMap<>();
    private boolean replayWritten;
    /** Changes of the replay in turn so far; the session's lane only. */
    private long replayedInStep;

    SyncSessionHandler(SessionServices services) {
        super(Envelope.class);
        this.s = services;
        this.lane = new SerialExecutor(services.pool());
        ReplayGate.Out toQueue = new ReplayGate.Out() {
            @Override
            public void change(Downstream d) {
                queue.offer(d);
            }

            @Override
            public void accounts(List<EncodedAccountUpdate> updates, long appliedSeq) {
                queue.offerAccounts(updates, appliedSeq);
            }
        };
        this.urgentGate = new ReplayGate(toQueue);
        this.bulkGate = new ReplayGate(toQueue);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        s.sessions().add(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.queue = new PushQueue(ctx.channel(), s.pushLimit(), "terminal session from " + ctx.channel().remoteAddress());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        queue.writable();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public TerminalHealth health() {
        return health;
    }

    @Override
    public String terminalId() {
        return terminalId;
    }

    @Override
    public String campus() {
        return campus;
    }

    @Override
    public void push(Downstream change) {
        (Replay.URGENT.contains(change.getStream()) ? urgentGate : bulkGate).live(change);
    }

    @Override
    public void pushAccounts(List<EncodedAccountUpdate> updates, long appliedSeq) {
        bulkGate.liveAccounts(updates, appliedSeq);
    }

    @Override
    public void disconnect(String why) {
        log.info("terminal {}: closing its session: {}", terminalId, why);
        ctx.close();
    }

    /**
     * A change of the replay in turn: paced with the instance's other replays, counted until the
     * terminal acknowledges it, then as {@link #replayed}. On the session's lane.
     */
    private void replayedInTurn(Downstream change) {
        if (replayedInStep++ % ReplayPace.STEP == 0) {
            try {
                s.replayPace().step();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ctx.close();
                return;
            }
        }
        synchronized (replayUnacked) {
            replayUnacked.merge(change.getStream(), change.getVersion(), Math::max);
        }
        replayed(change);
    }

    /** A replayed change: waits for the socket rather than overflowing (see PushQueue). */
    private void replayed(Downstream change) {
        try {
            queue.put(change, REPLAY_PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.close();
        }
    }

    /** How long a replay waits for a terminal to take its changes before the session is closed. */
    static final Duration REPLAY_PATIENCE = Duration.ofSeconds(30);

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent hs) {
            if (hs.isSuccess()) {
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                certTerminalId = ssl == null ? null : SyncTls.peerCommonName(ssl).orElse(null);
                log.debug("TLS session from {} as {}", ctx.channel().remoteAddress(), certTerminalId);
            } else {
                log.warn("TLS handshake from {} failed: {}", ctx.channel().remoteAddress(), hs.cause().getMessage());
                ctx.close();
            }
        } else if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            log.info("terminal {}: silent for {} s, closing", terminalId, SyncGateway.READER_IDLE.toSeconds());
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope env) {
        if (env.getBodyCase() == Envelope.BodyCase.HEARTBEAT) {
            Heartbeat h = env.getHeartbeat();
            if (open && h.getEchoOfMs() == 0 && h.getSentAtMs() > 0) {
                measureClock(h.getSentAtMs());
            }
            if (open && h.hasFleetReport()) {
                health = TerminalHealth.fromProto(h.getFleetReport());
            }
            if (h.getEchoOfMs() == 0) {
                ctx.writeAndFlush(Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                        .setSentAtMs(s.clock().millis()).setEchoOfMs(h.getSentAtMs())).build());
            }
            return;
        }
        if (!helloSeen) {
            if (env.getBodyCase() != Envelope.BodyCase.HELLO) {
                refuse(Refusal.Reason.PROTOCOL_ERROR, "first message must be Hello, got " + env.getBodyCase());
                return;
            }
            helloSeen = true;
            onHello(env.getHello());
            return;
        }
        if (!open) {
            // Messages sent before Welcome reached the terminal; a well-behaved client never does this.
            refuse(Refusal.Reason.PROTOCOL_ERROR, env.getBodyCase() + " before Welcome");
            return;
        }
        switch (env.getBodyCase()) {
            case UPLOAD -> onUpload(env.getUpload());
            case AUTH_REQUEST -> onAuth(env.getCorrelationId(), env.getAuthRequest());
            case DOWNSTREAM_ACK -> onDownstreamAck(env.getDownstreamAck().getStream(),
                    env.getDownstreamAck().getVersion());
            case QR_CANCEL -> run(lane, "recording QR cancel", () -> s.qr().recordCancel(terminalId,
                    env.getQrCancel().getToken(), env.getQrCancel().getSaleId()));
            case HOLD_RELEASE -> onHoldRelease(env.getHoldRelease());
            case HELLO -> refuse(Refusal.Reason.PROTOCOL_ERROR, "second Hello in one session");
            default -> log.debug("terminal {}: ignoring {}", terminalId, env.getBodyCase());
        }
    }

    private void onHello(Hello hello) {
        String claimed = hello.getTerminalId();
        if (certTerminalId == null || !certTerminalId.equals(claimed)) {
            refuse(Refusal.Reason.UNKNOWN_TERMINAL, "certificate is for '" + certTerminalId + "', Hello says '"
                    + claimed + "'");
            return;
        }
        if (hello.getSchemaVersion() < SCHEMA_VERSION) {
            refuse(Refusal.Reason.VERSION_TOO_OLD, "schema " + hello.getSchemaVersion() + " < " + SCHEMA_VERSION);
            return;
        }
        terminalId = claimed;
        run(lane, "opening session", () -> {
            TerminalRegistry.State state = s.terminals().state(claimed);
            switch (state) {
                case UNKNOWN -> refuse(Refusal.Reason.UNKNOWN_TERMINAL, "terminal " + claimed + " is not registered");
                case REVOKED -> refuse(Refusal.Reason.REVOKED, "terminal " + claimed + " is revoked");
                case ACTIVE -> openSession(hello);
                default -> throw new IllegalStateException("terminal state " + state);
            }
        });
    }

    private void openSession(Hello hello) {
        String tid = hello.getTerminalId();
        TerminalRegistry.Info info = s.terminals().info(tid);
        long applied = info.appliedSeq();
        campus = info.campus();
        Welcome.Builder welcome = Welcome.newBuilder().setCenterTimeMs(s.clock().millis()).setAppliedSeq(applied)
                .setSchemaVersion(SCHEMA_VERSION).setTerminalEpoch(info.epoch());
        if (applied > 0 && info.appliedMac() != null) {
            // the head of the chain as held here: the terminal checks its row at applied_seq against it
            welcome.setAppliedMac(com.google.protobuf.ByteString.copyFrom(info.appliedMac()));
        }
        // Batch frames only to a terminal that said it reads them (older firmware: one Envelope per change).
        boolean batches = hello.getFeaturesList().contains(SyncFeatures.DOWNSTREAM_BATCH);
        queue.batches(batches);
        if (batches) {
            welcome.addFeatures(SyncFeatures.DOWNSTREAM_BATCH);
        }
        ctx.writeAndFlush(Envelope.newBuilder().setWelcome(welcome).build());
        if (info.quarantined()) {
            // Downstream (lost cards above all) still flows; its uploads are answered JOURNAL_DIVERGED.
            log.warn("terminal {}: connected while quarantined since seq {}: {}", tid, info.quarantinedSeq(),
                    info.quarantineReason());
        }
        open = true;
        if (hello.getTerminalTimeMs() > 0) {
            ctx.channel().eventLoop().execute(() -> measureClock(hello.getTerminalTimeMs()));
        }
        TerminalSubscriber previous = s.subscribers().add(this);
        if (previous instanceof SyncSessionHandler old) {
            // A terminal has one connection; the old one is a half-dead link it gave up on.
            log.info("terminal {}: new session replaces the one from {}", tid, old.ctx.channel().remoteAddress());
            old.ctx.close();
        }
        // Lost cards, QR paid notices, messages, configuration: at once, from one snapshot.
        urgentGate.replaying();
        Replay.Snapshot urgent = s.replay().replay(tid, hello.getCursorsMap(), Replay.URGENT, this::replayed);
        urgentGate.replayed(urgent.covered());
        if (!ctx.channel().isActive()) {
            // Closed while replaying: channelInactive may already have run.
            s.subscribers().remove(this);
            return;
        }
        log.info("terminal {}: session open from {}, firmware {}, applied_seq={}, terminal acked {}, replayed {}"
                        + " (accounts and photos in turn)", tid, ctx.channel().remoteAddress(),
                hello.getFirmwareVersion(), applied, hello.getLastAckedSeq(), urgent.sent());
        // Account and photo changes are dropped by their gate until their replay starts: its snapshot covers them.
        s.replaySlots().acquire(() -> replayInTurn(hello));
    }

    /** This session's turn to replay (any thread; quick): the replay goes on the session's lane. */
    private void replayInTurn(Hello hello) {
        slotHeld.set(true);
        if (!ctx.channel().isActive()) {
            // Closed while waiting for the slot (channelInactive may have run before the slot was held).
            releaseSlot();
            return;
        }
        // On the lane: after this session's opening, before anything queued since (in arrival order).
        // When the channel closes first, channelInactive gives the slot back.
        run(lane, "replaying streams", () -> replay(hello));
    }

    /** On the session's lane, holding a slot: the accounts and photos after the terminal's cursors. */
    private void replay(Hello hello) {
        String tid = hello.getTerminalId();
        bulkGate.replaying();
        Replay.Snapshot snap = s.replay().replay(tid, hello.getCursorsMap(), Replay.BULK, this::replayedInTurn);
        bulkGate.replayed(snap.covered());
        if (!ctx.channel().isActive()) {
            // Closed while replaying: channelInactive may already have run.
            s.subscribers().remove(this);
            releaseSlot();
            return;
        }
        log.debug("terminal {}: replayed {} account and photo changes", tid, snap.sent());
        boolean acked;
        synchronized (replayUnacked) {
            replayWritten = true;
            acked = replayUnacked.isEmpty();
        }
        if (acked) {
            releaseSlot();
        } else {
            ctx.executor().schedule(() -> {
                if (releaseSlot()) {
                    log.info("terminal {}: its replay was not acknowledged within {} s; the next session replays",
                            tid, REPLAY_PATIENCE.toSeconds());
                }
            }, REPLAY_PATIENCE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** The terminal committed a change; the last of the replay's changes gives the replay slot back. */
    private void onDownstreamAck(String stream, long version) {
        log.debug("terminal {}: {} committed up to v{}", terminalId, stream, version);
        boolean done;
        synchronized (replayUnacked) {
            Long newest = replayUnacked.get(stream);
            if (newest != null && version >= newest) {
                replayUnacked.remove(stream);
            }
            done = replayWritten && replayUnacked.isEmpty();
        }
        if (done) {
            releaseSlot();
        }
    }

    /** Gives this session's replay slot back once; true when this call did. */
    private boolean releaseSlot() {
        if (slotHeld.compareAndSet(true, false)) {
            s.replaySlots().release();
            return true;
        }
        return false;
    }

    /**
     * The terminal's clock from a time it just sent (one-way delay on a campus network is a few
     * ms, far below what a payment code's expiry needs). Written to the registry when it moved by
     * a second or more, or once a minute, so every center instance judges this terminal's payment
     * codes on its clock. Netty thread.
     */
    private void measureClock(long terminalSentMs) {
        long now = s.clock().millis();
        long offset = now - terminalSentMs;
        if (Math.abs(offset - recordedOffsetMs) >= 1000 || now - recordedAtMs >= 60_000) {
            recordedOffsetMs = offset;
            recordedAtMs = now;
            String tid = terminalId;
            run(lane, "recording the terminal's clock", () -> {
                if (!s.terminals().recordClock(tid, offset, now)) {
                    // Its row is held by an upload being written: recorded at the next heartbeat instead.
                    ctx.channel().eventLoop().execute(() -> recordedAtMs = NEVER_RECORDED);
                }
            });
            if (Math.abs(offset) > 60_000) {
                log.warn("terminal {}: clock off by {} s from the center's; its payment codes are judged on its clock",
                        tid, offset / 1000);
            }
        }
    }

    private void onUpload(UploadBatch batch) {
        String tid = terminalId;
        // The lane only hands the batch to the instance's ingest writer (group commit, see Ingest): it
        // holds no thread or connection while the group is written. Answers go out in the order the
        // batches came, each after the commit of the group that holds it.
        run(lane, "ingesting batch", () -> s.ingest().submit(tid, batch.getRowsList()).whenComplete((r, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                log.error("terminal {}: ingesting batch failed: {}", tid, cause.getMessage(), cause);
                ctx.close();
            } else if (r.ok()) {
                // The balances this batch moved reach this terminal, like every other, through the change feed,
                // each with this terminal's watermark as read in the same snapshot as the balances.
                ctx.writeAndFlush(Envelope.newBuilder().setUploadAck(UploadAck.newBuilder()
                        .setAppliedSeq(r.appliedSeq()).setAppliedMac(com.google.protobuf.ByteString.copyFrom(r.appliedMac()))
                        .addAllRefused(r.refused())).build());
            } else {
                log.warn("terminal {}: batch rejected: {} {}", tid, r.error().getCode(), r.error().getMessage());
                ctx.writeAndFlush(Envelope.newBuilder().setUploadError(r.error()).build());
            }
        }));
    }

    private void onHoldRelease(HoldRelease release) {
        run(s.authPool(), "releasing a hold", () -> s.holds().release(terminalId, release.getSaleId()));
    }

    private void onAuth(long correlationId, AuthRequest req) {
        run(s.authPool(), "authorizing", () -> ctx.writeAndFlush(Envelope.newBuilder().setCorrelationId(correlationId)
                .setAuthResponse(s.authorization().authorize(terminalId, req)).build()));
    }

    private void refuse(Refusal.Reason reason, String message) {
        log.warn("refusing {} ({}): {} {}", ctx.channel().remoteAddress(), certTerminalId, reason, message);
        ctx.writeAndFlush(Envelope.newBuilder().setRefusal(Refusal.newBuilder().setReason(reason)
                .setMessage(message)).build()).addListener(ChannelFutureListener.CLOSE);
    }

    private void run(Executor where, String what, Runnable work) {
        try {
            where.execute(() -> {
                if (!ctx.channel().isActive()) {
                    return;
                }
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.error("terminal {}: {} failed: {}", terminalId, what, e.getMessage(), e);
                    ctx.close();
                }
            });
        } catch (RejectedExecutionException stopping) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open = false;
        queue.closed();
        releaseSlot();
        if (terminalId != null) {
            s.subscribers().remove(this);
        }
        log.debug("terminal {}: connection closed", terminalId);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            // A terminal losing power or network resets its connection: normal, it reconnects.
            log.info("terminal {}: connection lost: {}", terminalId, cause.getMessage());
        } else {
            log.warn("terminal {}: connection error: {}", terminalId, cause.getMessage());
        }
        ctx.close();
    }
}
