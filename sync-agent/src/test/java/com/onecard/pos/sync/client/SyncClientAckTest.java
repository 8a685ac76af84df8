package com.onecard.pos.sync.client;

import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.Downstream;
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
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acknowledgements of downstream changes on a real event loop (an embedded channel runs tasks
 * posted from its loop at once, so it cannot show what a burst costs): every change committed
 * is acknowledged, a burst of them in one flush.
 */
class SyncClientAckTest {
    @Test
    void aBurstOfCommittedChangesIsAcknowledgedChangeByChangeInOneFlush() throws Exception {
        SyncClientConfig cfg = new SyncClientConfig("localhost", 7400, "T-7", "1.2.3", Path.of("ca.pem"),
                Path.of("t.pem"), Path.of("t.key"), Duration.ofSeconds(5), 10, Duration.ZERO);
        SyncClientHandlerTest.ManualSink sink = new SyncClientHandlerTest.ManualSink();
        SyncClient client = new SyncClient(cfg, new SyncClientHandlerTest.ListOutbox(), sink,
                SyncClientHandlerTest.CLOCK, new SyncClientHandlerTest.InlineExecutor());
        List<Long> acked = new CopyOnWriteArrayList<>();
        int[] flushes = {0};
        EventLoopGroup loop = new DefaultEventLoopGroup(1);
        try {
            LocalChannel ch = new LocalChannel();
            loop.register(ch).sync();
            ch.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
                @Override
                public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                    if (msg instanceof Envelope e && e.hasDownstreamAck()) {
                        acked.add(e.getDownstreamAck().getVersion());
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
            assertThat(acked).containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
            assertThat(flushes[0]).as("flushes for the burst").isEqualTo(1);
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
            client.close();
        }
    }

    private static void onLoop(EventLoopGroup loop, Runnable r) throws Exception {
        loop.submit(r).get(10, TimeUnit.SECONDS);
    }
}
