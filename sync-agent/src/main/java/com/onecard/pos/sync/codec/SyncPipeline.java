package com.onecard.pos.sync.codec;

import com.onecard.pos.sync.proto.Envelope;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The framing and codec stages shared by both ends, in pipeline order. */
public final class SyncPipeline {
    private SyncPipeline() {
    }

    public static void addCodec(ChannelPipeline p, CodecCounters counters) {
        p.addLast("frameDecoder", new SyncFrameDecoder(counters));
        p.addLast("protobufDecoder", new ProtobufDecoder(Envelope.getDefaultInstance()));
        p.addLast("frameErrors", new FrameErrorHandler(counters));
        p.addLast("framePrepender", new ProtobufVarint32LengthFieldPrepender());
        p.addLast("protobufEncoder", new ProtobufEncoder());
    }

    /** Fires READER_IDLE when nothing was read for {@code readerIdle}; the logic handler closes. */
    public static void addIdle(ChannelPipeline p, Duration readerIdle) {
        p.addLast("idle", new IdleStateHandler(readerIdle.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    }
}
