package com.onecard.pos.sync.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Promise;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandshakeGateTest {
    /** Each started "handshake" is a promise the test ends; the admission stage is taken out as SslHandler's replace would. */
    private final Map<EmbeddedChannel, Promise<Void>> started = new LinkedHashMap<>();
    private final HandshakeGate gate = new HandshakeGate(2);
    /** For the tests on a gate of their own: the connections whose handshake started, and each handshake's end. */
    private final List<EmbeddedChannel> admitted = new ArrayList<>();
    private final List<Promise<Void>> done = new ArrayList<>();

    private EmbeddedChannel connect() {
        EmbeddedChannel ch = new EmbeddedChannel(gate.admission(ctx -> {
            Promise<Void> p = ctx.executor().newPromise();
            started.put((EmbeddedChannel) ctx.channel(), p);
            ctx.pipeline().remove(ctx.handler());
            return p;
        }));
        hello(ch);
        return ch;
    }

    /** The connection's first bytes arrive (a ClientHello's record header). */
    private static void hello(EmbeddedChannel ch) {
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x01}));
        ch.runPendingTasks();
    }

    /**
     * A connection to {@code gate} whose handshake, when started, is recorded in {@code admitted} and ends
     * when the test completes its promise (added to {@code done}); the admission stage is taken out as
     * SslHandler's replace would.
     */
    /** {@code n} connections through {@code gate}, recorded in this test's admitted and done lists. */
    private List<EmbeddedChannel> connections(HandshakeGate gate, int n) {
        List<EmbeddedChannel> chs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            chs.add(connection(gate, admitted, done));
        }
        return chs;
    }

    private static EmbeddedChannel connection(HandshakeGate gate, List<EmbeddedChannel> admitted, List<Promise<Void>> done) {
        return new EmbeddedChannel(gate.admission(ctx -> {
            Promise<Void> p = ctx.executor().newPromise();
            admitted.add((EmbeddedChannel) ctx.channel());
            done.add(p);
            ctx.pipeline().remove(ctx.handler());
            return p;
        }));
    }

    @Test
    void atMostTheSetNumberOfHandshakesRunAtOnceAndTheOthersStartInTurnAsEachEnds() {
        List<EmbeddedChannel> chs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            chs.add(connect());
        }
        assertThat(started.keySet()).containsExactly(chs.get(0), chs.get(1));
        assertThat(gate.running()).isEqualTo(2);
        assertThat(gate.waiting()).isEqualTo(3);
        for (int i = 2; i < 5; i++) {
            assertThat(chs.get(i).config().isAutoRead()).as("a waiting connection is not read").isFalse();
        }
        assertThat(chs.get(0).config().isAutoRead()).as("an admitted connection is read").isTrue();

        started.get(chs.get(0)).setSuccess(null);
        chs.forEach(EmbeddedChannel::runPendingTasks);
        assertThat(started.keySet()).containsExactly(chs.get(0), chs.get(1), chs.get(2));
        assertThat(chs.get(2).config().isAutoRead()).isTrue();

        chs.get(3).close();                               // gave up while waiting: not started, leaves the queue
        assertThat(gate.waiting()).isEqualTo(1);
        started.get(chs.get(1)).setFailure(new IllegalStateException("bad certificate"));   // a failed one frees too
        chs.forEach(EmbeddedChannel::runPendingTasks);
        assertThat(started.keySet()).containsExactly(chs.get(0), chs.get(1), chs.get(2), chs.get(4));

        started.get(chs.get(2)).setSuccess(null);
        started.get(chs.get(4)).setSuccess(null);
        assertThat(gate.running()).isZero();
        assertThat(gate.waiting()).isZero();
        assertThat(gate.mostRunning()).isEqualTo(2);
        assertThat(gate.mostWaiting()).isEqualTo(3);
        assertThat(gate.waited()).isEqualTo(3);
        assertThat(gate.admitted()).isEqualTo(4);
    }

    @Test
    void aConnectionThatClosedBeforeItsTurnGivesTheTurnOn() {
        HandshakeGate one = new HandshakeGate(1);
        List<EmbeddedChannel> chs = connections(one, 3);
        chs.forEach(HandshakeGateTest::hello);
        // The second one is polled from the queue just as it closes: the gate must skip it, not stall.
        EmbeddedChannel second = chs.get(1);
        done.get(0).setSuccess(null);
        second.unsafe().close(second.voidPromise());   // closed without running its loop's tasks first
        chs.forEach(EmbeddedChannel::runPendingTasks);
        assertThat(admitted).containsExactly(chs.get(0), chs.get(2));
        assertThat(one.running()).isEqualTo(1);
    }

    @Test
    void aConnectionThatSendsNothingNeverTakesATurnAndTheFirstBytesReachTheHandshake() {
        HandshakeGate one = new HandshakeGate(1);
        List<EmbeddedChannel> chs = connections(one, 3);
        chs.forEach(EmbeddedChannel::runPendingTasks);
        assertThat(admitted).as("idle connections").isEmpty();
        assertThat(one.running() + one.waiting()).isZero();

        hello(chs.get(2));
        assertThat(admitted).containsExactly(chs.get(2));
        ByteBuf first = chs.get(2).readInbound();
        assertThat(first).as("the bytes read before the turn go on to the handshake").isNotNull();
        assertThat(ByteBufUtil.getBytes(first)).containsExactly(0x16, 0x03, 0x01);
        first.release();
        chs.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void aHandshakeThatStallsGivesItsTurnBackWhenTheTurnIsOver() {
        HandshakeGate one = new HandshakeGate(1, Duration.ofSeconds(1));
        List<EmbeddedChannel> chs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            EmbeddedChannel ch = connection(one, admitted, done);
            ch.freezeTime();
            chs.add(ch);
        }
        chs.forEach(HandshakeGateTest::hello);
        assertThat(admitted).containsExactly(chs.get(0));   // the first stalls: sent a ClientHello, no more

        chs.get(0).advanceTimeBy(999, TimeUnit.MILLISECONDS);
        chs.get(0).runScheduledPendingTasks();
        chs.forEach(EmbeddedChannel::runPendingTasks);
        assertThat(admitted).as("still its turn").containsExactly(chs.get(0));

        chs.get(0).advanceTimeBy(1, TimeUnit.MILLISECONDS);
        chs.get(0).runScheduledPendingTasks();
        chs.forEach(EmbeddedChannel::runPendingTasks);
        assertThat(admitted).as("its turn is over: the next starts").containsExactly(chs.get(0), chs.get(1));
        assertThat(one.outlived()).isEqualTo(1);
        assertThat(one.running()).isEqualTo(1);

        done.get(0).setSuccess(null);                        // the slow one ends after all: its turn is not given twice
        assertThat(one.running()).isEqualTo(1);
        done.get(1).setSuccess(null);
        assertThat(one.running()).isZero();
        chs.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void aWaitingConnectionThatSendsMoreThanAClientHelloIsClosedAndNothingOfItKept() {
        HandshakeGate one = new HandshakeGate(1);
        EmbeddedChannel first = connection(one, admitted, done);
        hello(first);
        EmbeddedChannel flood = connection(one, admitted, done);
        ByteBuf hello = Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x01});
        flood.writeInbound(hello);
        assertThat(one.waiting()).isEqualTo(1);
        ByteBuf more = Unpooled.buffer(HandshakeGate.MAX_HELD_BYTES).writeZero(HandshakeGate.MAX_HELD_BYTES);
        flood.writeInbound(more);
        flood.runPendingTasks();
        assertThat(flood.isOpen()).as("more than two TLS records before its turn").isFalse();
        assertThat(one.waiting()).isZero();
        assertThat(hello.refCnt()).as("what it sent is released").isZero();
        assertThat(more.refCnt()).isZero();
        assertThat(admitted).containsExactly(first);
        first.finishAndReleaseAll();
    }

    @Test
    void aConnectionThatSendsNothingForTenSecondsIsClosed() {
        EmbeddedChannel ch = new EmbeddedChannel(gate.admission(ctx -> ctx.executor().newPromise()));
        ch.freezeTime();
        ch.advanceTimeBy(HandshakeGate.FIRST_BYTES.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("sent nothing for 10 s").isFalse();
    }

    @Test
    void addressesTakeTurnsSoOneAddressQueueingManyConnectionsGetsOneTurnARound() {
        HandshakeGate one = new HandshakeGate(1);
        List<String> admitted = new ArrayList<>();
        Map<String, Promise<Void>> done = new LinkedHashMap<>();
        List<EmbeddedChannel> chs = new ArrayList<>();
        String[] arrivals = {"A1", "A2", "A3", "A4", "B1", "C1"};   // A: an attacker's address; B, C: two terminals
        for (String name : arrivals) {
            java.net.InetSocketAddress from = new java.net.InetSocketAddress("10.0.0." + (name.charAt(0) - 'A' + 1), 40_000);
            EmbeddedChannel ch = new EmbeddedChannel(one.admission(ctx -> {
                Promise<Void> p = ctx.executor().newPromise();
                admitted.add(name);
                done.put(name, p);
                ctx.pipeline().remove(ctx.handler());
                return p;
            })) {
                @Override
                protected java.net.SocketAddress remoteAddress0() {
                    return from;
                }
            };
            hello(ch);
            chs.add(ch);
        }
        for (int i = 0; i < arrivals.length; i++) {
            done.get(admitted.get(i)).setSuccess(null);
            chs.forEach(EmbeddedChannel::runPendingTasks);
        }
        assertThat(admitted).containsExactly("A1", "A2", "B1", "C1", "A3", "A4");
        assertThat(one.waiting()).isZero();
        chs.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void atLeastOneHandshake() {
        assertThatThrownBy(() -> new HandshakeGate(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS handshakes at once must be at least 1: 0");
    }
}
