package com.onecard.pos.sync.codec;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.time.Duration;
import java.util.function.Supplier;

/** ssl → framing → codec → idle detection → one logic handler (SyncClientHandler). */
public final class SyncClientInitializer extends ChannelInitializer<Channel> {
    /**
     * How long a terminal waits for its TLS handshake to finish, from the connection: 30 s, not
     * Netty's 10 s. A center runs a bounded number of handshakes at once ({@code
     * sync.handshakes-at-once}, docs/center.md) and keeps the others' connections unread in
     * arrival order; a terminal that gave up after 10 s in that queue would dial again at its
     * back and add a connection to the storm. A center that accepts but never answers costs a
     * terminal 30 s before its next dial, during which it sells offline as it would anyway.
     */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    private final SslContext ssl;
    private final String host;
    private final int port;
    private final CodecCounters counters;
    private final Duration readerIdle;
    private final Supplier<ChannelHandler> logic;

    public SyncClientInitializer(SslContext ssl, String host, int port, CodecCounters counters,
                                 Duration readerIdle, Supplier<ChannelHandler> logic) {
        this.ssl = ssl;
        this.host = host;
        this.port = port;
        this.counters = counters;
        this.readerIdle = readerIdle;
        this.logic = logic;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        SslHandler sslHandler = ssl.newHandler(ch.alloc(), host, port);
        sslHandler.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT.toMillis());
        SSLEngine engine = sslHandler.engine();
        SSLParameters params = engine.getSSLParameters();
        // The center's certificate must name the host we dialled, not just chain to our CA.
        params.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(params);
        p.addLast("ssl", sslHandler);
        SyncPipeline.addCodec(p, counters);
        SyncPipeline.addIdle(p, readerIdle);
        p.addLast("logic", logic.get());
    }
}
