package com.onecard.pos.sync.codec;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** ssl (client certificate required) → framing → codec → idle detection → one logic handler. */
public final class SyncServerInitializer extends ChannelInitializer<SocketChannel> {
    private final SslContext ssl;
    private final CodecCounters counters;
    private final Duration readerIdle;
    private final Supplier<ChannelHandler> logic;

    private final Executor handshakeTasks;

    /** TLS handshake work (key exchange, signatures) runs on the channel's event loop. */
    public SyncServerInitializer(SslContext ssl, CodecCounters counters, Duration readerIdle,
                                 Supplier<ChannelHandler> logic) {
        this(ssl, counters, readerIdle, logic, null);
    }

    /**
     * @param handshakeTasks where the TLS engine's handshake tasks (key exchange, signing and
     *                       verifying certificates) run, so that a fleet reconnecting at once does
     *                       not hold the event loops that answer the connected terminals; null: on
     *                       the channel's event loop
     */
    public SyncServerInitializer(SslContext ssl, CodecCounters counters, Duration readerIdle,
                                 Supplier<ChannelHandler> logic, Executor handshakeTasks) {
        this.ssl = ssl;
        this.counters = counters;
        this.readerIdle = readerIdle;
        this.logic = logic;
        this.handshakeTasks = handshakeTasks;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("ssl", handshakeTasks == null ? ssl.newHandler(ch.alloc())
                : ssl.newHandler(ch.alloc(), handshakeTasks));
        SyncPipeline.addCodec(p, counters);
        SyncPipeline.addIdle(p, readerIdle);
        p.addLast("logic", logic.get());
    }
}
