package com.onecard.pos.sync.client;

import com.onecard.pos.sync.DownstreamSink;
import com.onecard.pos.sync.Outbox;
import com.onecard.pos.sync.codec.CodecCounters;
import com.onecard.pos.sync.codec.SyncClientInitializer;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;
import com.onecard.pos.sync.proto.Envelope;
import com.onecard.pos.sync.proto.HoldRelease;
import com.onecard.pos.sync.proto.QrCancel;
import com.onecard.pos.sync.tls.SyncTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The terminal's side of the sync protocol: one long-lived TLS connection to the center,
 * reopened forever with jittered backoff (the first reconnect after a session ends spread over
 * {@link SyncClientConfig#reconnectSpread()}). Uploads the outbox in pipelined batches, applies
 * downstream changes through the sink, answers online authorization requests and keeps
 * the clock offset. Every public method is safe from any thread and none blocks.
 *
 * <p>Threads: one Netty I/O thread owns the connection state; one outbox-reader thread
 * runs {@link Outbox#rowsAfter}, {@link Outbox#lastAcknowledged} and
 * {@link DownstreamSink#cursors()} so the I/O thread never touches the terminal's database.
 */
public final class SyncClient implements AutoCloseable {
    static final int SCHEMA_VERSION = 1;
    /** Unacknowledged batches allowed on the wire; bounds memory whatever the backlog. */
    static final int WINDOW_BATCHES = 4;
    /** Downstream changes in flight at which the client stops reading from the center, and resumes. */
    static final int DOWNSTREAM_HIGH_MARK = 1_000;
    static final int DOWNSTREAM_LOW_MARK = 250;
    private static final int MAX_QUEUED_CANCELS = 256;
    private static final Duration BACKOFF_BASE = Duration.ofMillis(100);
    private static final Duration BACKOFF_CAP = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(SyncClient.class);

    final SyncClientConfig config;
    final Outbox outbox;
    final DownstreamSink sink;
    final Clock clock;
    final ExecutorService outboxReader;
    final CodecCounters counters = new CodecCounters();
    final ConcurrentHashMap<Long, CompletableFuture<AuthResponse>> pendingAuth = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<QrCancel> queuedCancels = new ConcurrentLinkedQueue<>();

    private final EventLoopGroup group;
    private final Backoff backoff;
    private final AtomicLong correlation = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong connectAttempts = new AtomicLong();

    private volatile Bootstrap bootstrap;
    private volatile Channel channel;
    private volatile SyncClientHandler session;
    private volatile boolean started;
    private volatile boolean closed;

    volatile boolean connected;
    volatile long lastAckedSeq;
    volatile long lastSentSeq;
    volatile String lastError;
    /** Set when the center's record of this journal and the journal disagree; see SyncStatus. */
    volatile String journalAlarm;
    volatile Instant lastContact;
    volatile long clockOffsetMs;
    /** Read on the outbox reader thread before each heartbeat; null = heartbeats carry no fleet report. */
    volatile java.util.function.Supplier<com.onecard.pos.sync.TerminalHealth> health;

    public SyncClient(SyncClientConfig config, Outbox outbox, DownstreamSink sink, Clock clock) {
        this(config, outbox, sink, clock, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sync-outbox-" + config.terminalId());
            t.setDaemon(true);
            return t;
        }));
    }

    /** With the thread that reads the outbox supplied, so handler tests can run it inline. */
    SyncClient(SyncClientConfig config, Outbox outbox, DownstreamSink sink, Clock clock, ExecutorService outboxReader) {
        this.config = Objects.requireNonNull(config, "config");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = new Backoff(BACKOFF_BASE, BACKOFF_CAP, config.reconnectSpread(),
                bound -> ThreadLocalRandom.current().nextLong(bound));
        this.group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("sync-io-" + config.terminalId(), true), NioIoHandler.newFactory());
        this.outboxReader = Objects.requireNonNull(outboxReader, "outboxReader");
    }

    /**
     * Each periodic heartbeat then carries this terminal's health for the card office (Heartbeat
     * field 3). {@code source} is called on the outbox reader thread, never on the terminal thread
     * nor the network loop; when it throws, that heartbeat goes without a report.
     */
    public void reportHealth(java.util.function.Supplier<com.onecard.pos.sync.TerminalHealth> source) {
        this.health = source;
    }

    /** Connects in the background; failures are retried forever until {@link #close()}. */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        SslContext ssl = config.keyManager() != null ? SyncTls.client(config.caCert(), config.keyManager())
                : SyncTls.client(config.caCert(), config.cert(), config.key());
        Duration readerIdle = config.heartbeat().multipliedBy(3);
        bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new SyncClientInitializer(ssl, config.host(), config.port(), counters, readerIdle,
                        () -> new SyncClientHandler(this)));
        log.info("terminal {}: sync client starting, center {}:{}", config.terminalId(), config.host(), config.port());
        group.execute(this::connect);
    }

    /** New journal rows are available. Never blocks. */
    public void wake() {
        SyncClientHandler s = session;
        if (s != null) {
            s.wake();
        }
    }

    /**
     * Ask the center to authorize a sale. Completes with the center's answer, or exceptionally
     * with a {@link TimeoutException} at the deadline, when the link drops, or at once when no
     * session is open (the caller then decides offline). The future completes on the sync I/O
     * thread, so callers post its result to their own thread rather than work in a callback.
     */
    public CompletableFuture<AuthResponse> authorize(AuthRequest req, Duration deadline) {
        SyncClientHandler s = session;
        Channel ch = s == null ? null : s.channel();
        if (!connected || ch == null || !ch.isActive()) {
            return CompletableFuture.failedFuture(new TimeoutException("not connected to center"));
        }
        long id = correlation.incrementAndGet();
        CompletableFuture<AuthResponse> f = new CompletableFuture<>();
        pendingAuth.put(id, f);
        ch.eventLoop().schedule(() -> {
            CompletableFuture<AuthResponse> p = pendingAuth.remove(id);
            if (p != null) {
                p.completeExceptionally(new TimeoutException("no answer for sale " + req.getSaleId()
                        + " within " + deadline.toMillis() + " ms"));
                // The terminal decides without the center now: any hold the late answer placed is released.
                releaseHold(req.getSaleId());
            }
        }, Math.max(0, deadline.toMillis()), TimeUnit.MILLISECONDS);
        ch.writeAndFlush(Envelope.newBuilder().setCorrelationId(id).setAuthRequest(req).build())
                .addListener(w -> {
                    if (!w.isSuccess()) {
                        CompletableFuture<AuthResponse> p = pendingAuth.remove(id);
                        if (p != null) {
                            p.completeExceptionally(new TimeoutException("auth request for sale " + req.getSaleId()
                                    + " not sent: " + w.cause()));
                        }
                    }
                });
        return f;
    }

    /**
     * The center approved (or may yet approve) {@code saleId} online, and the terminal will not
     * complete it online: the center releases its hold. Best effort: a hold also expires.
     */
    public void releaseHold(String saleId) {
        SyncClientHandler s = session;
        Channel ch = s == null ? null : s.channel();
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(Envelope.newBuilder().setHoldRelease(HoldRelease.newBuilder().setSaleId(saleId)).build());
        }
    }

    /** The cashier gave up on a QR payment; the center must refuse it from now on. */
    public void cancelQr(String token, String saleId) {
        QrCancel cancel = QrCancel.newBuilder().setToken(token).setSaleId(saleId).build();
        SyncClientHandler s = session;
        if (connected && s != null && s.sendCancel(cancel)) {
            return;
        }
        // Kept for the next session so an offline cancel is not lost; bounded, oldest dropped.
        queuedCancels.add(cancel);
        while (queuedCancels.size() > MAX_QUEUED_CANCELS) {
            queuedCancels.poll();
        }
    }

    public SyncStatus status() {
        return new SyncStatus(connected, lastAckedSeq, lastSentSeq, lastError, lastContact, clockOffsetMs,
                reconnects.get(), journalAlarm);
    }

    /** Dropped-frame counters of this client's connections. */
    public CodecCounters codecCounters() {
        return counters;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        failPendingAuth("sync client closed");
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        outboxReader.shutdownNow();
        connected = false;
        log.info("terminal {}: sync client closed", config.terminalId());
    }

    boolean isClosed() {
        return closed;
    }

    private void connect() {
        if (closed) {
            return;
        }
        if (connectAttempts.getAndIncrement() > 0) {
            reconnects.incrementAndGet();
        }
        ChannelFuture f = bootstrap.connect(config.host(), config.port());
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                lastError = "connect to " + config.host() + ":" + config.port() + " failed: " + done.cause().getMessage();
                log.debug("terminal {}: {}", config.terminalId(), lastError);
                scheduleReconnect();
            } else {
                f.channel().closeFuture().addListener(c -> scheduleReconnect());
            }
        });
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        Duration delay = backoff.next();
        log.debug("terminal {}: reconnecting in {} ms", config.terminalId(), delay.toMillis());
        try {
            group.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) {
            // The group is shutting down: close() won the race.
        }
    }

    /** The reconnect back-off (tests draw from it). */
    Backoff backoff() {
        return backoff;
    }

    void sessionOpened(SyncClientHandler s) {
        session = s;
        connected = true;
    }

    /** Called on the I/O thread when the center acknowledged progress: the link is healthy. */
    void progressMade() {
        backoff.reset();
    }

    void sessionEnded(SyncClientHandler s, String why) {
        if (session == s) {
            session = null;
        }
        connected = false;
        if (why != null) {
            lastError = why;
        }
        failPendingAuth("connection to center lost");
    }

    private void failPendingAuth(String why) {
        for (Map.Entry<Long, CompletableFuture<AuthResponse>> e : pendingAuth.entrySet()) {
            if (pendingAuth.remove(e.getKey(), e.getValue())) {
                e.getValue().completeExceptionally(new TimeoutException(why));
            }
        }
    }
}
