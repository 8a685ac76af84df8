package com.onecard.pos.bench.sqlitecenter;

import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.Envelope;
import com.onecard.pos.sync.proto.Heartbeat;
import com.onecard.pos.sync.proto.Hello;
import com.onecard.pos.sync.proto.Refusal;
import com.onecard.pos.sync.proto.UploadAck;
import com.onecard.pos.sync.proto.UploadBatch;
import com.onecard.pos.sync.proto.Welcome;
import com.onecard.pos.sync.tls.SyncTls;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * One terminal session at the center: handshake → Hello → open → closed. Ledger work is
 * handed to the single ledger thread; replies are written from there (Netty queues them
 * onto the channel's loop in order).
 */
final class SyncServerHandler extends SimpleChannelInboundHandler<Envelope> implements TerminalSubscriber {
    static final int SCHEMA_VERSION = 1;
    private static final Logger log = LoggerFactory.getLogger(SyncServerHandler.class);

    private final Ledger ledger;
    private final ExecutorService ledgerThread;
    private final ChannelGroup sessions;
    private final Clock clock;
    private final ConcurrentMap<String, SyncServerHandler> live;
    private ChannelHandlerContext ctx;
    private volatile String certTerminalId;
    private volatile String terminalId;
    private boolean helloSeen;
    private volatile boolean open;

    SyncServerHandler(Ledger ledger, ExecutorService ledgerThread, ChannelGroup sessions, Clock clock) {
        this(ledger, ledgerThread, sessions, clock, new ConcurrentHashMap<>());
    }

    /** @param live the open session of each terminal; a new session replaces (closes) an older one */
    SyncServerHandler(Ledger ledger, ExecutorService ledgerThread, ChannelGroup sessions, Clock clock,
                      ConcurrentMap<String, SyncServerHandler> live) {
        super(Envelope.class);
        this.live = live;
        this.ledger = ledger;
        this.ledgerThread = ledgerThread;
        this.sessions = sessions;
        this.clock = clock;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        sessions.add(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public String terminalId() {
        return terminalId;
    }

    @Override
    public void push(Downstream change) {
        ctx.writeAndFlush(Envelope.newBuilder().setDownstream(change).build());
    }

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
            log.info("terminal {}: silent for {} s, closing", terminalId, CenterServer.READER_IDLE.toSeconds());
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope env) {
        if (env.getBodyCase() == Envelope.BodyCase.HEARTBEAT) {
            Heartbeat h = env.getHeartbeat();
            if (h.getEchoOfMs() == 0) {
                ctx.writeAndFlush(Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                        .setSentAtMs(clock.millis()).setEchoOfMs(h.getSentAtMs())).build());
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
            case DOWNSTREAM_ACK -> log.debug("terminal {}: {} committed up to v{}", terminalId,
                    env.getDownstreamAck().getStream(), env.getDownstreamAck().getVersion());
            case QR_CANCEL -> onLedger("recording QR cancel", () -> ledger.recordQrCancel(terminalId,
                    env.getQrCancel().getToken(), env.getQrCancel().getSaleId()));
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
        onLedger("opening session", () -> {
            switch (ledger.terminalState(claimed)) {
                case UNKNOWN -> refuse(Refusal.Reason.UNKNOWN_TERMINAL, "terminal " + claimed + " is not registered");
                case REVOKED -> refuse(Refusal.Reason.REVOKED, "terminal " + claimed + " is revoked");
                case ACTIVE -> {
                    long applied = ledger.appliedSeq(claimed);
                    ctx.writeAndFlush(Envelope.newBuilder().setWelcome(Welcome.newBuilder()
                            .setCenterTimeMs(clock.millis()).setAppliedSeq(applied)
                            .setSchemaVersion(SCHEMA_VERSION)).build());
                    open = true;
                    SyncServerHandler previous = live.put(claimed, this);
                    if (previous != null && previous != this) {
                        // A terminal has one connection; the old one is a half-dead link it gave up on.
                        log.info("terminal {}: new session replaces the one from {}", claimed,
                                previous.ctx.channel().remoteAddress());
                        ledger.unsubscribe(previous);
                        previous.ctx.close();
                    }
                    ledger.subscribe(this, hello.getCursorsMap());
                    if (!ctx.channel().isActive()) {
                        // Closed while replaying: channelInactive may already have run.
                        ledger.unsubscribe(this);
                    }
                    log.info("terminal {}: session open from {}, firmware {}, applied_seq={}, terminal acked {}",
                            claimed, ctx.channel().remoteAddress(), hello.getFirmwareVersion(), applied,
                            hello.getLastAckedSeq());
                }
                default -> throw new IllegalStateException();
            }
        });
    }

    private void onUpload(UploadBatch batch) {
        onLedger("ingesting batch", () -> {
            IngestResult r = ledger.ingest(terminalId, batch.getRowsList());
            if (r.ok()) {
                ctx.writeAndFlush(Envelope.newBuilder().setUploadAck(UploadAck.newBuilder()
                        .setAppliedSeq(r.appliedSeq())).build());
            } else {
                log.warn("terminal {}: batch rejected: {} {}", terminalId, r.error().getCode(), r.error().getMessage());
                ctx.writeAndFlush(Envelope.newBuilder().setUploadError(r.error()).build());
            }
        });
    }

    private void onAuth(long correlationId, AuthRequest req) {
        onLedger("authorizing", () -> ctx.writeAndFlush(Envelope.newBuilder().setCorrelationId(correlationId)
                .setAuthResponse(ledger.authorize(terminalId, req)).build()));
    }

    private void refuse(Refusal.Reason reason, String message) {
        log.warn("refusing {} ({}): {} {}", ctx.channel().remoteAddress(), certTerminalId, reason, message);
        ctx.writeAndFlush(Envelope.newBuilder().setRefusal(Refusal.newBuilder().setReason(reason)
                .setMessage(message)).build()).addListener(ChannelFutureListener.CLOSE);
    }

    private void onLedger(String what, Runnable work) {
        try {
            ledgerThread.execute(() -> {
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
        ledger.unsubscribe(this);
        if (terminalId != null) {
            live.remove(terminalId, this);
        }
        log.debug("terminal {}: connection closed", terminalId);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("terminal {}: connection error: {}", terminalId, cause.getMessage());
        ctx.close();
    }
}
