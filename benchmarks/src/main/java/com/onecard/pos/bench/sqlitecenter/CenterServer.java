package com.onecard.pos.bench.sqlitecenter;

import com.onecard.pos.sync.codec.CodecCounters;
import com.onecard.pos.sync.codec.SyncServerInitializer;
import com.onecard.pos.sync.tls.SyncTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The reference campus card center's sync endpoint. Netty threads only parse and write;
 * every ledger call runs on the single "center-ledger" thread, so SQLite never blocks I/O
 * and batches are applied in arrival order.
 */
public final class CenterServer implements AutoCloseable {
    /** Terminals heartbeat every few seconds; this much silence means the link is dead. */
    static final Duration READER_IDLE = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(CenterServer.class);

    private final CenterConfig config;
    private final Ledger ledger;
    private final Clock clock;
    private final ExecutorService ledgerThread;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ChannelGroup sessions = new DefaultChannelGroup("center-sessions", GlobalEventExecutor.INSTANCE);
    private final CodecCounters counters = new CodecCounters();
    private final ConcurrentMap<String, SyncServerHandler> live = new ConcurrentHashMap<>();
    private final Channel listener;

    private CenterServer(CenterConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.ledger = Ledger.open(config.ledgerDb(), clock);
        SslContext ssl = SyncTls.server(config.caCert(), config.serverCert(), config.serverKey());
        this.ledgerThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "center-ledger");
            t.setDaemon(true);
            return t;
        });
        this.boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("center-accept", true),
                NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("center-io", true),
                NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new SyncServerInitializer(ssl, counters, READER_IDLE,
                        () -> new SyncServerHandler(ledger, ledgerThread, sessions, clock, live)));
        try {
            this.listener = b.bind(config.host(), config.port()).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown();
            throw new IllegalStateException("interrupted binding center to " + config.host() + ":" + config.port(), e);
        } catch (RuntimeException e) {
            shutdown();
            throw new IllegalStateException("cannot bind center to " + config.host() + ":" + config.port(), e);
        }
        log.info("center listening on {}:{}, ledger {}", config.host(), port(), config.ledgerDb());
    }

    public static CenterServer start(CenterConfig config) {
        return new CenterServer(config, Clock.systemUTC());
    }

    public static CenterServer start(CenterConfig config, Clock clock) {
        return new CenterServer(config, clock);
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public Ledger ledger() {
        return ledger;
    }

    public CodecCounters codecCounters() {
        return counters;
    }

    /** Open terminal connections (TLS established or in progress). */
    public int connections() {
        return sessions.size();
    }

    /** Terminals with an open session (Welcome sent). */
    public java.util.Set<String> connectedTerminals() {
        return java.util.Set.copyOf(live.keySet());
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
        log.info("center on port {} stopped", ((InetSocketAddress) listener.localAddress()).getPort());
    }

    private void shutdown() {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        ledgerThread.shutdown();
        try {
            if (!ledgerThread.awaitTermination(5, TimeUnit.SECONDS)) {
                ledgerThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ledger.close();
    }
}
