package com.onecard.pos.sync.codec;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most a set number of TLS handshakes of one server at once. A connection beyond that is
 * accepted and kept, unread past its first bytes, until a running handshake ends, succeeded or
 * failed; then the connection that waited longest starts. A fleet that reconnects at once thus takes
 * at most that many handshakes' worth of CPU, and the sessions already open keep the rest. A waiting
 * connection's handshake timeout starts when it is admitted; its peer waits up to its own handshake
 * timeout (a terminal: 30 s) and, if it gives up, reconnects with its back-off.
 *
 * <p>What a turn costs an attacker who can reach the port, so that the bound is not a way to keep
 * terminals out: a connection queues only once its first bytes (the ClientHello) have arrived, so
 * idle TCP connections never take a turn; and a turn lasts at most {@code turn} (1 s by default,
 * some hundred times a handshake's CPU): a handshake still unfinished then (a peer that stalls
 * mid-handshake) goes on under its own timeout but no longer counts, and the next connection starts.
 *
 * <p>Thread-safe: one gate serves all the server's event loops.
 */
public final class HandshakeGate {
    /** Starts the TLS handshake of an admitted connection (on its event loop). */
    @FunctionalInterface
    public interface Handshake {
        /**
         * @param ctx the admission stage's context; the handshake's handler takes its place
         * @return done when the handshake ends, either way (also when the connection closes first)
         */
        Future<?> start(ChannelHandlerContext ctx);
    }

    /** How long one handshake holds its turn at most, by default. */
    public static final Duration TURN = Duration.ofSeconds(1);

    private final int atOnce;
    private final long turnMs;
    private final ArrayDeque<Admission> waiting = new ArrayDeque<>();
    private int running;
    private int mostRunning;
    private int mostWaiting;
    private long waited;
    private long admitted;
    private long outlived;

    /** @param atOnce handshakes running at once, at least 1; IllegalArgumentException otherwise; turns of {@link #TURN} */
    public HandshakeGate(int atOnce) {
        this(atOnce, TURN);
    }

    /**
     * @param atOnce handshakes running at once, at least 1
     * @param turn   how long one handshake holds its turn at most, positive
     * @throws IllegalArgumentException when either is out of range
     */
    public HandshakeGate(int atOnce, Duration turn) {
        if (atOnce < 1) {
            throw new IllegalArgumentException("TLS handshakes at once must be at least 1: " + atOnce);
        }
        if (turn == null || turn.toMillis() < 1) {
            throw new IllegalArgumentException("a handshake's turn must be at least 1 ms: " + turn);
        }
        this.atOnce = atOnce;
        this.turnMs = turn.toMillis();
    }

    /**
     * The stage that stands where the TLS handler goes in one new connection's pipeline: it turns
     * the connection's reads off when added, reads the connection's first bytes and only then queues
     * it; when a handshake may start, hands over to {@code handshake}, passes the bytes read so far
     * on to it and turns reads back on.
     */
    public ChannelHandler admission(Handshake handshake) {
        return new Admission(Objects.requireNonNull(handshake, "handshake"));
    }

    public int atOnce() {
        return atOnce;
    }

    /** Handshakes running now. */
    public synchronized int running() {
        return running;
    }

    /** Connections waiting for a handshake to end now. */
    public synchronized int waiting() {
        return waiting.size();
    }

    /** The most handshakes that ran at once since this gate was made. */
    public synchronized int mostRunning() {
        return mostRunning;
    }

    /** The most connections that waited at once since this gate was made. */
    public synchronized int mostWaiting() {
        return mostWaiting;
    }

    /** Connections that had to wait before their handshake started, since this gate was made. */
    public synchronized long waited() {
        return waited;
    }

    /** Handshakes started since this gate was made. */
    public synchronized long admitted() {
        return admitted;
    }

    /** Handshakes still unfinished at the end of their turn (their peer stalled or was slow), since this gate was made. */
    public synchronized long outlived() {
        return outlived;
    }

    private synchronized void outlive() {
        outlived++;
    }

    private void arrive(Admission a) {
        synchronized (this) {
            if (running >= atOnce) {
                waiting.addLast(a);
                waited++;
                mostWaiting = Math.max(mostWaiting, waiting.size());
                return;
            }
            take();
        }
        a.start();
    }

    /** Under the lock: one more handshake runs. */
    private void take() {
        running++;
        admitted++;
        mostRunning = Math.max(mostRunning, running);
    }

    private void release() {
        Admission next;
        synchronized (this) {
            running--;
            next = waiting.pollFirst();
            if (next != null) {
                take();
            }
        }
        if (next != null) {
            next.start();
        }
    }

    private synchronized void leave(Admission a) {
        waiting.remove(a);
    }

    private final class Admission extends ChannelInboundHandlerAdapter {
        private final Handshake handshake;
        private ChannelHandlerContext ctx;
        /** What was read before the turn: the first bytes of the ClientHello, handed on when it starts. */
        private final List<Object> held = new ArrayList<>(1);
        private boolean queued;

        Admission(Handshake handshake) {
            this.handshake = handshake;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            ctx.channel().config().setAutoRead(false);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.fireChannelActive();
            ctx.read(); // the first bytes only: a connection that sends nothing never takes a turn
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            held.add(msg);
            if (!queued) {
                queued = true;
                arrive(this);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            leave(this);
            releaseHeld();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (!ctx.channel().isActive()) {
                releaseHeld();
            }
        }

        private void releaseHeld() {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
        }

        /** Holds one of the gate's handshakes: gives it back when the handshake ends, cannot start, or its turn is over. */
        void start() {
            try {
                ctx.channel().eventLoop().execute(this::startOnLoop);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                release();
            }
        }

        private void startOnLoop() {
            if (!ctx.channel().isActive() || ctx.isRemoved()) {
                releaseHeld();
                release();
                return;
            }
            ChannelPipeline pipeline = ctx.pipeline();
            Future<?> done;
            try {
                done = handshake.start(ctx);
            } catch (RuntimeException e) {
                releaseHeld();
                release();
                ctx.channel().close();
                return;
            }
            AtomicBoolean given = new AtomicBoolean();
            ScheduledFuture<?> turnOver = ctx.channel().eventLoop().schedule(() -> {
                if (given.compareAndSet(false, true)) {
                    outlive();
                    release();
                }
            }, turnMs, TimeUnit.MILLISECONDS);
            done.addListener(f -> {
                turnOver.cancel(false);
                if (given.compareAndSet(false, true)) {
                    release();
                }
            });
            for (Object m : held) {
                pipeline.fireChannelRead(m);
            }
            held.clear();
            pipeline.fireChannelReadComplete();
            ctx.channel().config().setAutoRead(true);
        }
    }
}
