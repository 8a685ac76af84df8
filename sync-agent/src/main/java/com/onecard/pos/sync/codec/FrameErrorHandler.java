package com.onecard.pos.sync.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits after the protobuf decoder: a frame that does not parse as an Envelope is counted
 * and ends the session, instead of travelling on to the logic handler as an exception.
 */
public final class FrameErrorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FrameErrorHandler.class);
    private final CodecCounters counters;

    public FrameErrorHandler(CodecCounters counters) {
        this.counters = counters;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Only a protobuf parse failure is ours; TLS failures arrive as DecoderException too
        // and belong to the logic handler, which reports the handshake.
        if (cause instanceof DecoderException && cause.getCause() instanceof InvalidProtocolBufferException) {
            counters.malformed();
            log.warn("closing {}: undecodable frame ({})", ctx.channel().remoteAddress(),
                    cause.getCause().getMessage());
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
