package com.onecard.pos.sync.client;

import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.SyncFeatures;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.DownstreamBatch;
import com.onecard.pos.sync.proto.Envelope;
import com.onecard.pos.sync.proto.Welcome;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acknowledgements of downstream changes on a real event loop (an embedded channel runs tasks
 * posted from its loop at once, so it cannot show what a burst costs): a burst of committed
 * changes is acknowledged once per stream, with the newest version committed, in one flush; a
 * change whose apply failed is never the version acknowledged.
 */
class SyncClientAckTest {
    @Test
    void aBurstOfCommittedChangesIsAcknowledgedOncePerStreamWithTheNewestVersionInOneFlush() throws Exception {
        SyncClientConfig cfg = new SyncClientConfig("localhost", 7400, "T-7", "1.2.3", Path.of("ca.pem"),
                Path.of("t.pem"), Path.of("t.key"), Duration.ofSeconds(5), 10, Duration.ZERO);
        SyncClientHandlerTest.ManualSink sink = new SyncClientHandlerTest.ManualSink();
        SyncClient client = new SyncClient(cfg, new SyncClientHandlerTest.ListOutbox(), sink,
                SyncClientHandlerTest.CLOCK, new SyncClientHandlerTest.InlineExecutor());
        List<String> acked = new CopyOnWriteArrayList<>();
        int[] flushes = {0};
        EventLoopGroup loop = new DefaultEventLoopGroup(1);
        try {
            LocalChannel ch = new LocalChannel();
            loop.register(ch).sync();
            ch.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
                @Override
                public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                    if (msg instanceof Envelope e && e.hasDownstreamAck()) {
                        acked.add(e.getDownstreamAck().getStream() + "@" + e.getDownstreamAck().getVersion());
                    }
                    promise.trySuccess();
                }

                @Override
                public void flush(ChannelHandlerContext ctx) {
                    if (!acked.isEmpty()) {
                        flushes[0]++;
                    }
                }
            }, new SyncClientHandler(client));
            onLoop(loop, () -> ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS));
            onLoop(loop, () -> ch.pipeline().fireChannelRead(Envelope.newBuilder()
                    .setWelcome(Welcome.getDefaultInstance()).build()));
            onLoop(loop, () -> {
                for (int v = 1; v <= 50; v++) {
                    ch.pipeline().fireChannelRead(Envelope.newBuilder().setDownstream(Downstream.newBuilder()
                            .setStream("accounts").setVersion(v).setAccount(AccountUpdate.newBuilder().setAccountId(v)))
                            .build());
                }
            });
            assertThat(sink.applied).hasSize(50);
            // the terminal's store commits the 50 at once
            onLoop(loop, () -> sink.pending.forEach(f -> f.complete(null)));
            onLoop(loop, () -> { });
            onLoop(loop, () -> { });
            assertThat(acked).containsExactly("accounts@50");
            assertThat(flushes[0]).as("flushes for the burst").isEqualTo(1);

            // A second burst over two streams; the newest account change fails to apply.
            acked.clear();
            onLoop(loop, () -> {
                for (int v = 51; v <= 60; v++) {
                    ch.pipeline().fireChannelRead(Envelope.newBuilder().setDownstream(Downstream.newBuilder()
                            .setStream("accounts").setVersion(v).setAccount(AccountUpdate.newBuilder().setAccountId(v)))
                            .build());
                }
                for (int v = 5; v <= 7; v++) {
                    ch.pipeline().fireChannelRead(Envelope.newBuilder().setDownstream(Downstream.newBuilder()
                            .setStream("blacklist").setVersion(v)).build());
                }
            });
            onLoop(loop, () -> {
                for (int i = 50; i < sink.pending.size(); i++) {
                    if (sink.applied.get(i).getVersion() == 60) {
                        sink.pending.get(i).completeExceptionally(new IllegalStateException("store full"));
                    } else {
                        sink.pending.get(i).complete(null);
                    }
                }
            });
            onLoop(loop, () -> { });
            onLoop(loop, () -> { });
            assertThat(acked).containsExactlyInAnyOrder("accounts@59", "blacklist@7");
            assertThat(flushes[0]).as("flushes for both bursts").isEqualTo(2);
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
            client.close();
        }
    }

    /**
     * The terminal lists {@code downstream_batch} in its Hello; a batch frame's changes are applied
     * one by one in the frame's order, exactly as if each had come alone, and acknowledged the same
     * way (once per stream, newest version).
     */
    @Test
    void aBatchFramesChangesAreAppliedInOrderAndAcknowledgedAsIfEachHadComeAlone() throws Exception {
        SyncClientConfig cfg = new SyncClientConfig("localhost", 7400, "T-7", "1.2.3", Path.of("ca.pem"),
                Path.of("t.pem"), Path.of("t.key"), Duration.ofSeconds(5), 10, Duration.ZERO);
        SyncClientHandlerTest.ManualSink sink = new SyncClientHandlerTest.ManualSink();
        SyncClient client = new SyncClient(cfg, new SyncClientHandlerTest.ListOutbox(), sink,
                SyncClientHandlerTest.CLOCK, new SyncClientHandlerTest.InlineExecutor());
        List<Envelope> written = new CopyOnWriteArrayList<>();
        EventLoopGroup loop = new DefaultEventLoopGroup(1);
        try {
            LocalChannel ch = new LocalChannel();
            loop.register(ch).sync();
            ch.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
                @Override
                public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                    written.add((Envelope) msg);
                    promise.trySuccess();
                }

                @Override
                public void flush(ChannelHandlerContext ctx) {
                }
            }, new SyncClientHandler(client));
            onLoop(loop, () -> ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS));
            onLoop(loop, () -> { }); // the Hello is written by a task the handshake event queued on the loop
            assertThat(written).hasSize(1);
            assertThat(written.get(0).getHello().getFeaturesList()).contains(SyncFeatures.DOWNSTREAM_BATCH);
            written.clear();
            onLoop(loop, () -> ch.pipeline().fireChannelRead(Envelope.newBuilder()
                    .setWelcome(Welcome.newBuilder().addFeatures(SyncFeatures.DOWNSTREAM_BATCH)).build()));
            DownstreamBatch.Builder batch = DownstreamBatch.newBuilder();
            for (int v = 1; v <= 30; v++) {
                batch.addChanges(Downstream.newBuilder().setStream("accounts").setVersion(v)
                        .setAccount(AccountUpdate.newBuilder().setAccountId(100 + v).setAppliedSeq(1_000 + v)));
                if (v % 15 == 0) {
                    batch.addChanges(Downstream.newBuilder().setStream("blacklist").setVersion(v / 15));
                }
            }
            Envelope frame = Envelope.newBuilder().setDownstreamBatch(batch).build();
            onLoop(loop, () -> ch.pipeline().fireChannelRead(frame));
            assertThat(sink.applied).containsExactlyElementsOf(batch.getChangesList());
            onLoop(loop, () -> sink.pending.forEach(f -> f.complete(null)));
            onLoop(loop, () -> { });
            onLoop(loop, () -> { });
            assertThat(written).extracting(e -> e.getDownstreamAck().getStream() + "@" + e.getDownstreamAck().getVersion())
                    .containsExactlyInAnyOrder("accounts@30", "blacklist@2");
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
            client.close();
        }
    }

    private static void onLoop(EventLoopGroup loop, Runnable r) throws Exception {
        loop.submit(r).get(10, TimeUnit.SECONDS);
    }
}
