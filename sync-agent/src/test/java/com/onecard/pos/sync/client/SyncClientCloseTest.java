package com.onecard.pos.sync.client;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A client closed while its outbox reader is reading: the late result is dropped quietly. */
class SyncClientCloseTest {

    @Test
    void anOutboxReadThatEndsAfterTheClientClosedThrowsNothingOnTheReaderThread() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "test-outbox-reader");
            t.setUncaughtExceptionHandler((th, e) -> uncaught.add(e));
            return t;
        });
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        SyncClientHandlerTest.ListOutbox outbox = new SyncClientHandlerTest.ListOutbox() {
            @Override
            public long lastAcknowledged() {
                reading.countDown();
                try {
                    finish.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 0;
            }
        };
        SyncClientConfig cfg = new SyncClientConfig("localhost", 7400, "T-7", "1.2.3", Path.of("ca.pem"),
                Path.of("t.pem"), Path.of("t.key"), Duration.ofSeconds(5), 10, Duration.ZERO);
        SyncClient client = new SyncClient(cfg, outbox, new SyncClientHandlerTest.ManualSink(),
                SyncClientHandlerTest.CLOCK, reader);
        EventLoopGroup loop = new DefaultEventLoopGroup(1);
        try {
            LocalChannel ch = new LocalChannel();
            loop.register(ch).sync();
            ch.pipeline().addLast(new SyncClientHandler(client));
            // The handshake is done: the handler reads cursors and the ack off the loop to send Hello.
            ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();

            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
            finish.countDown();
            reader.shutdown();
            assertThat(reader.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

            assertThat(uncaught).as("the reader thread must not die of the closed loop").isEmpty();
        } finally {
            finish.countDown();
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            client.close();
        }
    }
}
