package com.onecard.pos.sync.codec;

import com.onecard.pos.sync.proto.Envelope;
import com.onecard.pos.sync.proto.Heartbeat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class SyncFrameDecoderTest {
    private final CodecCounters counters = new CodecCounters();

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        SyncPipeline.addCodec(ch.pipeline(), counters);
        return ch;
    }

    private static ByteBuf hex(String h) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(h));
    }

    @Test
    void goldenHeartbeatFrameRoundTrips() {
        Envelope hb = Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAtMs(1000)).build();
        EmbeddedChannel ch = channel();
        assertThat(ch.writeOutbound(hb)).isTrue();
        ByteBuf out = Unpooled.buffer();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.writeBytes((ByteBuf) o);
            ((ByteBuf) o).release();
        }
        // length 6, field 20 (heartbeat) len 3, field 1 varint 1000 (e8 07)
        assertThat(HexFormat.of().formatHex(io.netty.buffer.ByteBufUtil.getBytes(out))).isEqualTo("06a2010308e807");
        assertThat(ch.writeInbound(out)).isTrue();
        assertThat((Envelope) ch.readInbound()).isEqualTo(hb);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void frameSplitAcrossReadsIsReassembled() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(hex("06a201"));
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(hex("0308e807"));
        Envelope e = ch.readInbound();
        assertThat(e.getHeartbeat().getSentAtMs()).isEqualTo(1000);
    }

    @Test
    void twoFramesInOneReadBothDecode() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(hex("06a2010308e80700"));
        assertThat((Envelope) ch.readInbound()).extracting(Envelope::hasHeartbeat).isEqualTo(true);
        assertThat((Envelope) ch.readInbound()).isEqualTo(Envelope.getDefaultInstance());
    }

    @Test
    void oversizeFrameClosesTheSessionAndIsCounted() {
        EmbeddedChannel ch = channel();
        // varint 0x100001 = 1 MiB + 1
        ch.writeInbound(hex("818040"));
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.isOpen()).isFalse();
        assertThat(counters.oversizeFrames()).isEqualTo(1);
    }

    @Test
    void exactlyOneMebibyteIsAccepted() {
        SyncFrameDecoder d = new SyncFrameDecoder(counters);
        EmbeddedChannel ch = new EmbeddedChannel(d);
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(HexFormat.of().parseHex("808040"));
        buf.writeZero(1 << 20);
        ch.writeInbound(buf);
        ByteBuf frame = ch.readInbound();
        assertThat(frame.readableBytes()).isEqualTo(1 << 20);
        frame.release();
        assertThat(counters.oversizeFrames()).isZero();
    }

    @Test
    void malformedLengthPrefixClosesTheSession() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(hex("ffffffffff01"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(counters.malformedFrames()).isEqualTo(1);
    }

    @Test
    void undecodableProtobufClosesTheSessionWithoutAnExceptionStorm() {
        EmbeddedChannel ch = channel();
        // a 3-byte frame holding a truncated length-delimited field
        ch.writeInbound(hex("03a20105"));
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.isOpen()).isFalse();
        assertThat(counters.malformedFrames()).isEqualTo(1);
        ch.checkException();
    }

    @Test
    void truncatedFrameAtCloseIsDroppedAndCounted() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(hex("06a20103"));
        assertThat((Object) ch.readInbound()).isNull();
        ch.finish();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(counters.truncatedFrames()).isEqualTo(1);
    }
}
