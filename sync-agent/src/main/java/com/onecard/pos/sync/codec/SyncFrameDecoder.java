package com.onecard.pos.sync.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Varint32 length-prefixed framing with a hard maximum frame size, the bounded twin of
 * Netty's ProtobufVarint32FrameDecoder. States: reading the prefix, waiting for the body,
 * or failed. A bad prefix or an oversize length is counted, logged once and ends the
 * session; the bytes that follow are discarded rather than re-parsed into garbage frames.
 */
public final class SyncFrameDecoder extends ByteToMessageDecoder {
    /** 1 MiB; a batch of a few thousand journal rows stays far below this. */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    private static final Logger log = LoggerFactory.getLogger(SyncFrameDecoder.class);

    private final int maxFrameBytes;
    private final CodecCounters counters;
    private boolean failed;

    public SyncFrameDecoder(CodecCounters counters) {
        this(MAX_FRAME_BYTES, counters);
    }

    public SyncFrameDecoder(int maxFrameBytes, CodecCounters counters) {
        this.maxFrameBytes = maxFrameBytes;
        this.counters = counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        long length = 0;
        int prefixBytes = 0;
        while (true) {
            if (!in.isReadable()) {
                in.readerIndex(start);
                return;
            }
            byte b = in.readByte();
            length |= (long) (b & 0x7F) << (7 * prefixBytes);
            prefixBytes++;
            if (b >= 0) {
                break;
            }
            if (prefixBytes == 5) {
                fail(ctx, in, "malformed varint32 length prefix");
                counters.malformed();
                return;
            }
        }
        if (length > maxFrameBytes) {
            counters.oversize();
            fail(ctx, in, "frame of " + length + " bytes exceeds " + maxFrameBytes);
            return;
        }
        if (in.readableBytes() < length) {
            in.readerIndex(start);
            return;
        }
        out.add(in.readRetainedSlice((int) length));
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        decode(ctx, in, out);
        if (!failed && in.isReadable()) {
            // The peer went away in the middle of a frame; the partial frame is dropped.
            counters.truncated();
            log.debug("connection {} closed inside a frame, {} bytes dropped", ctx.channel().remoteAddress(), in.readableBytes());
            in.skipBytes(in.readableBytes());
        }
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, String why) {
        failed = true;
        in.skipBytes(in.readableBytes());
        log.warn("closing {}: {}", ctx.channel().remoteAddress(), why);
        ctx.close();
    }
}
