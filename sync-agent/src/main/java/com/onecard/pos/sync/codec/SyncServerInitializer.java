package com.onecard.pos.sync.codec;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;

import java.time.Duration;
import java.util.function.Supplier;

/** ssl (client certificate required) → framing → codec → idle detection → one logic handler. */
public final class SyncServerInitializer extends ChannelInitializer<SocketChannel> {
    private final SslContext ssl;
    private final CodecCounters counters;
    private final Duration readerIdle;
    private final Supplier<ChannelHandler> logic;

    public SyncServerInitializer(SslContext ssl, CodecCounters counters, Duration readerIdle,
                                 Supplier<ChannelHandler> logic) {
        this.ssl = ssl;
        this.counters = counters;
        this.readerIdle = readerIdle;
        this.logic = logic;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("ssl", ssl.newHandler(ch.alloc()));
        SyncPipeline.addCodec(p, counters);
        SyncPipeline.addIdle(p, readerIdle);
        p.addLast("logic", logic.get());
    }
}
