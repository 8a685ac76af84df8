package com.onecard.pos.center.sync;

import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.feed.Subscribers;
import com.onecard.pos.sync.codec.CodecCounters;
import com.onecard.pos.sync.codec.HandshakeGate;
import com.onecard.pos.sync.codec.SyncServerInitializer;
import com.onecard.pos.sync.tls.SyncTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.OpenSslServerContext;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The center's sync endpoint: the server side of the terminal protocol over TLS 1.3 with
 * mutual certificates. Netty threads parse and write; database work runs on the given pool.
 */
public final class SyncGateway implements AutoCloseable {
    /** Terminals heartbeat every few seconds; this much silence means the link is dead. */
    static final Duration READER_IDLE = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(SyncGateway.class);

    /** The sync port's TLS context (its implementation: {@link #tlsIsBoringSsl()}). */
    private final SslContext tls;
    /** Installs the day's session ticket keys (BoringSSL only, else null). */
    private final Runnable ticketRotation;

    /**
     * Where and as whom the sync port listens.
     *
     * @param ticketSecret what the TLS session ticket keys derive from, the same on every instance
     *                     ({@link SessionTicketKeys}); null: a random one of this instance's own
     */
    public record Listen(String host, int port, Path caCert, Path serverCert, Path serverKey, byte[] ticketSecret) {
        /** With a ticket secret of this instance's own. */
        public Listen(String host, int port, Path caCert, Path serverCert, Path serverKey) {
            this(host, port, caCert, serverCert, serverKey, null);
        }

        @Override
        public String toString() {
            return "Listen[" + host + ":" + port + ", ca=" + caCert + ", cert=" + serverCert + ", key=" + serverKey + "]";
        }
    }

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ChannelGroup sessions = new DefaultChannelGroup("center-sessions", GlobalEventExecutor.INSTANCE);
    private final CodecCounters counters = new CodecCounters();
    private final Subscribers subscribers;
    private final Channel listener;
    private final ReplaySlots replaySlots;
    /**
     * The sessions' buffers (TLS records, frames) come from an allocator of this gateway's own, not
     * Netty's shared default, so what they hold is this instance's and can be read apart
     * ({@link #bufferMemory()}) from that of other Netty users in the same JVM (a simulator's or a
     * benchmark's terminals). Its caches are per event-loop thread, so they grow with the loops, not
     * with the terminals.
     */
    /**
     * TLS handshake tasks, off the event loops, on half the CPUs (at least 2 threads, so a small
     * instance still gets through a fleet's handshakes within their timeout). In the JDK's TLS that
     * is the handshake's crypto (X25519, certificate signatures); in BoringSSL only the check of the
     * terminal's certificate chain (the JDK's trust manager, called back) and the choice of the
     * center's certificate: BoringSSL's own key exchange and signature run on the event loop, tens
     * of µs each, and a resumed session needs no signature. A handshake waiting here delays only
     * its own session.
     */
    private final ExecutorService handshakes = handshakePool();
    /**
     * At most so many handshakes at once (the others wait, unread, in arrival order): with the
     * default, half the CPUs, a fleet's reconnect never takes the CPUs the open sessions' online
     * authorizations need.
     */
    private final HandshakeGate handshakeGate;
    private final io.netty.buffer.AdaptiveByteBufAllocator buffers = new io.netty.buffer.AdaptiveByteBufAllocator();

    /** Downstream changes a session may have waiting (beyond the socket's buffer) before it is closed. */
    public static final int PUSH_LIMIT = 4_096;

    /**
     * With one replay per CPU at once (at least 2).
     *
     * @param pool     the sessions' serial lanes (uploads, replay)
     * @param authPool online authorizations
     */
    public SyncGateway(Listen listen, CenterLedger ledger, ExecutorService pool, ExecutorService authPool, Clock clock) {
        this(listen, ledger, pool, authPool, clock, com.onecard.pos.center.CenterConfig.defaultReplaysAtOnce());
    }

    /**
     * @param pool          the sessions' serial lanes (uploads, replay)
     * @param authPool      online authorizations
     * @param replaysAtOnce sessions of this instance replaying at once (see {@link ReplaySlots}), at least 1;
     *                      IllegalArgumentException otherwise
     */
    public SyncGateway(Listen listen, CenterLedger ledger, ExecutorService pool, ExecutorService authPool, Clock clock,
                       int replaysAtOnce) {
        this(listen, ledger, pool, authPool, clock, replaysAtOnce,
                com.onecard.pos.center.CenterConfig.defaultReplayChangesPerSecond());
    }

    /**
     * @param pool                   the sessions' serial lanes (uploads, replay)
     * @param authPool               online authorizations
     * @param replaysAtOnce          sessions of this instance replaying at once (see {@link ReplaySlots}), at
     *                               least 1; IllegalArgumentException otherwise
     * @param replayChangesPerSecond the pace of those replays together (see {@link ReplayPace}), at least 1;
     *                               IllegalArgumentException otherwise
     */
    public SyncGateway(Listen listen, CenterLedger ledger, ExecutorService pool, ExecutorService authPool, Clock clock,
                       int replaysAtOnce, long replayChangesPerSecond) {
        this(listen, ledger, pool, authPool, clock, replaysAtOnce, replayChangesPerSecond,
                com.onecard.pos.center.CenterConfig.defaultHandshakesAtOnce());
    }

    /**
     * @param handshakesAtOnce TLS handshakes this instance runs at once (see {@link HandshakeGate}), at
     *                         least 1; IllegalArgumentException otherwise
     */
    public SyncGateway(Listen listen, CenterLedger ledger, ExecutorService pool, ExecutorService authPool, Clock clock,
                       int replaysAtOnce, long replayChangesPerSecond, int handshakesAtOnce) {
        this(listen, ledger, pool, authPool, clock, replaysAtOnce, new ReplayPace(replayChangesPerSecond,
                ReplayPace.SYSTEM), handshakesAtOnce);
    }

    SyncGateway(Listen listen, CenterLedger ledger, ExecutorService pool, ExecutorService authPool, Clock clock,
                int replaysAtOnce, ReplayPace replayPace) {
        this(listen, ledger, pool, authPool, clock, replaysAtOnce, replayPace,
                com.onecard.pos.center.CenterConfig.defaultHandshakesAtOnce());
    }

    SyncGateway(Listen listen, CenterLedger ledger, ExecutorService pool, ExecutorService authPool, Clock clock,
                int replaysAtOnce, ReplayPace replayPace, int handshakesAtOnce) {
        this.handshakeGate = new HandshakeGate(handshakesAtOnce);
        this.subscribers = ledger.subscribers();
        this.replaySlots = new ReplaySlots(replaysAtOnce);
        SslContext ssl = SyncTls.server(listen.caCert(), listen.serverCert(), listen.serverKey());
        this.tls = ssl;
        if (ssl instanceof OpenSslServerContext server) {
            // installed before the port opens, so every ticket is sealed with a key the instances share
            SessionTicketKeys keys = new SessionTicketKeys(listen.ticketSecret() != null ? listen.ticketSecret()
                    : SessionTicketKeys.randomSecret(), listen.caCert());
            this.ticketRotation = () -> {
                try {
                    keys.installFor(server.sessionContext(), clock.instant());
                } catch (RuntimeException e) {
                    // the keys already installed go on opening and sealing tickets; try again at the next turn
                    log.error("sync port: installing the session ticket keys failed: {}", e.getMessage(), e);
                }
            };
            ticketRotation.run();
        } else {
            this.ticketRotation = null;
        }
        SessionServices services = new SessionServices(ledger.terminals(), ledger.ingest(), ledger.authorization(),
                ledger.holds(), ledger.replay(), ledger.qr(), subscribers, pool, authPool, sessions,
                clock, PUSH_LIMIT, replaySlots, replayPace);
        this.boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("center-accept", true),
                NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("center-io", true),
                NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, buffers)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                .childHandler(new SyncServerInitializer(ssl, counters, READER_IDLE,
                        () -> new SyncSessionHandler(services), handshakes, handshakeGate));
        try {
            this.listener = b.bind(listen.host(), listen.port()).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown();
            throw new IllegalStateException("interrupted binding the sync gateway to " + listen.host() + ":"
                    + listen.port(), e);
        } catch (RuntimeException e) {
            shutdown();
            throw new IllegalStateException("cannot bind the sync gateway to " + listen.host() + ":" + listen.port()
                    + ": " + e.getMessage(), e);
        }
        if (ticketRotation != null) {
            // a new day's key within 10 minutes of midnight (UTC); tomorrow's already opens tickets
            boss.next().scheduleAtFixedRate(ticketRotation, 10, 10, TimeUnit.MINUTES);
        }
        log.info("sync gateway listening on {}:{}, TLS {}, session tickets {}", listen.host(), port(),
                SyncTls.serverProviderDescription(), ticketRotation == null ? "the JDK's (this instance only)"
                        : listen.ticketSecret() != null ? "shared by the instances holding sync.ticket-secret-file"
                        : "this instance's own (no sync.ticket-secret-file)");
    }

    private static ExecutorService handshakePool() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors() / 2);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return new java.util.concurrent.ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "center-tls-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** TLS handshake tasks run here since this gateway started (on {@code center-tls-*} threads). */
    public long handshakeTasksRun() {
        return ((java.util.concurrent.ThreadPoolExecutor) handshakes).getCompletedTaskCount();
    }

    /** Whether the sync port's TLS runs in BoringSSL (netty-tcnative) rather than the JDK's ({@link SyncTls#serverProvider()}). */
    public boolean tlsIsBoringSsl() {
        return tls instanceof io.netty.handler.ssl.OpenSslContext;
    }

    /**
     * TLS sessions resumed on the sync port since this instance started (a terminal that lost its
     * connection to a running instance skips the certificate signatures; BoringSSL's session
     * statistics: tickets and cache hits); -1 with the JDK's TLS, which keeps no count.
     */
    public long tlsSessionsResumed() {
        if (tls instanceof io.netty.handler.ssl.OpenSslContext o) {
            var stats = o.sessionContext().stats();
            return stats.ticketKeyResume() + stats.hits();
        }
        return -1;
    }

    /** The gate on this instance's TLS handshakes: how many at once, running and waiting now, most so far. */
    public HandshakeGate handshakeGate() {
        return handshakeGate;
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** How many sessions of this instance replay at once. */
    public int replaysAtOnce() {
        return replaySlots.slots();
    }

    /** Sessions replaying now (each holds a slot until its terminal acknowledged the replay). */
    public int replaysInProgress() {
        return replaySlots.replaying();
    }

    /** Open sessions waiting for a slot to replay. */
    public int replaysWaiting() {
        return replaySlots.waiting();
    }

    /** Replays started since this gateway started. */
    public long replaysStarted() {
        return replaySlots.started();
    }

    /** The most sessions that waited for a replay slot at once since this gateway started. */
    public int mostReplaysWaiting() {
        return replaySlots.mostWaiting();
    }

    /** Bytes of heap and direct memory the sessions' buffer allocator holds now (chunks, used or cached). */
    public long bufferMemory() {
        return buffers.usedHeapMemory() + buffers.usedDirectMemory();
    }

    public CodecCounters codecCounters() {
        return counters;
    }

    /** Open terminal connections (TLS established or in progress). */
    public int connections() {
        return sessions.size();
    }

    /** Terminals with an open session (Welcome sent) on this instance. */
    public Set<String> connectedTerminals() {
        return subscribers.all().stream().map(s -> s.terminalId()).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The newest health report (backlog, reader state) of each terminal with an open session on
     * this instance, held in memory for the session's life only: a terminal on another instance
     * or offline has none here.
     */
    public java.util.Map<String, com.onecard.pos.sync.TerminalHealth> terminalHealth() {
        java.util.Map<String, com.onecard.pos.sync.TerminalHealth> out = new java.util.HashMap<>();
        for (var sub : subscribers.all()) {
            if (sub.health() != null) {
                out.put(sub.terminalId(), sub.health());
            }
        }
        return out;
    }

    /** Cuts every terminal connection, as a network fault would; terminals reconnect. */
    public void dropConnections() {
        sessions.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        sessions.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        shutdown();
        log.info("sync gateway on port {} stopped", ((InetSocketAddress) listener.localAddress()).getPort());
    }

    private void shutdown() {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        handshakes.shutdownNow();
    }
}
