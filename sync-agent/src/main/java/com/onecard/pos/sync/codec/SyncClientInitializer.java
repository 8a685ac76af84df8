package com.onecard.pos.sync.codec;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.time.Duration;
import java.util.function.Supplier;

/** ssl → framing → codec → idle detection → one logic handler (SyncClientHandler). */
public final class SyncClientInitializer extends ChannelInitializer<SocketChannel> {
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
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        SslHandler sslHandler = ssl.newHandler(ch.alloc(), host, port);
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
