package com.onecard.pos.sync.codec;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SyncClientInitializerTest {
    @Test
    void aTerminalWaitsThirtySecondsForItsHandshakeSoACentersHandshakeQueueDoesNotMakeItDialAgain()
            throws Exception {
        var ssl = SslContextBuilder.forClient().build();
        EmbeddedChannel ch = new EmbeddedChannel(new SyncClientInitializer(ssl, "center.example", 7443,
                new CodecCounters(), Duration.ofSeconds(90), ChannelInboundHandlerAdapter::new));
        try {
            SslHandler handler = ch.pipeline().get(SslHandler.class);
            assertThat(handler).as("the pipeline starts with TLS").isNotNull();
            assertThat(handler.getHandshakeTimeoutMillis()).isEqualTo(30_000L);
            assertThat(handler.engine().getSSLParameters().getEndpointIdentificationAlgorithm())
                    .as("the center's certificate must name the host dialled").isEqualTo("HTTPS");
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
