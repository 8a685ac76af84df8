package com.onecard.pos.center.sync;

import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.Envelope;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A slow terminal's changes wait in a bounded queue, are written only while the socket takes them. */
class PushQueueTest {
    static Downstream change(long v) {
        return Downstream.newBuilder().setStream("blacklist").setVersion(v).build();
    }

    static List<Long> written(EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<Long> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.add(((Envelope) o).getDownstream().getVersion());
        }
        return out;
    }

    @Test
    void writesNothingWhileTheChannelIsNotWritableThenEverythingInOrder() {
        EmbeddedChannel ch = new EmbeddedChannel();
        PushQueue q = new PushQueue(ch, 10, "test");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        for (long v = 1; v <= 5; v++) {
            assertThat(q.offer(change(v))).isTrue();
        }
        assertThat(written(ch)).isEmpty();
        assertThat(q.size()).isEqualTo(5);
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        q.writable();
        assertThat(written(ch)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(q.size()).isZero();
    }

    @Test
    void aLivePushBeyondTheLimitClosesTheSession() {
        EmbeddedChannel ch = new EmbeddedChannel();
        PushQueue q = new PushQueue(ch, 3, "test");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        for (long v = 1; v <= 3; v++) {
            assertThat(q.offer(change(v))).isTrue();
        }
        assertThat(q.offer(change(4))).isFalse();
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(q.size()).as("memory given back").isZero();
    }

    @Test
    void aReplayWaitsForRoomAndGivesUpWhenTheLinkTakesNothing() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        PushQueue q = new PushQueue(ch, 4, "test");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertThat(q.put(change(1), Duration.ofMillis(50))).isTrue();
        assertThat(q.put(change(2), Duration.ofMillis(50))).isTrue();
        assertThat(q.put(change(3), Duration.ofMillis(50))).as("half full: waits, then gives up").isFalse();
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }
}
