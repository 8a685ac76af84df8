package com.onecard.pos.sync.codec;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** ssl (client certificate required; at most so many handshakes at once when gated) → framing → codec → idle detection → one logic handler. */
public final class SyncServerInitializer extends ChannelInitializer<SocketChannel> {
    private final SslContext ssl;
    private final CodecCounters counters;
    private final Duration readerIdle;
    private final Supplier<ChannelHandler> logic;

    private final Executor handshakeTasks;
    private final HandshakeGate gate;

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
        this(ssl, counters, readerIdle, logic, handshakeTasks, null);
    }

    /**
     * @param handshakeTasks as above
     * @param gate           how many connections may be in their TLS handshake at once (the others
     *                       wait, unread, see {@link HandshakeGate}); null: no bound
     */
    public SyncServerInitializer(SslContext ssl, CodecCounters counters, Duration readerIdle,
                                 Supplier<ChannelHandler> logic, Executor handshakeTasks, HandshakeGate gate) {
        this.gate = gate;
        this.ssl = ssl;
        this.counters = counters;
        this.readerIdle = readerIdle;
        this.logic = logic;
        this.handshakeTasks = handshakeTasks;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (gate == null) {
            p.addLast("ssl", newSsl(ch));
        } else {
            p.addLast("admit", gate.admission(ctx -> {
                SslHandler tls = newSsl(ctx.channel());
                ctx.pipeline().replace(ctx.name(), "ssl", tls);
                return tls.handshakeFuture();
            }));
        }
        SyncPipeline.addCodec(p, counters);
        SyncPipeline.addIdle(p, readerIdle);
        p.addLast("logic", logic.get());
    }

    private SslHandler newSsl(io.netty.channel.Channel ch) {
        return handshakeTasks == null ? ssl.newHandler(ch.alloc()) : ssl.newHandler(ch.alloc(), handshakeTasks);
    }
}
