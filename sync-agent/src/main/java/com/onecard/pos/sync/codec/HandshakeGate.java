package com.onecard.pos.sync.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most a set number of TLS handshakes of one server at once. A connection beyond that is
 * accepted and waits, its ClientHello held, until a running handshake ends, succeeded or failed;
 * then the next starts: source addresses take turns (the oldest connection of the address whose
 * turn it is), so that one address queueing many connections gets one turn in each round. A fleet
 * that reconnects at once thus takes at most that many handshakes' worth of CPU, and the sessions
 * already open keep the rest. A waiting connection's handshake timeout starts when it is admitted;
 * its peer waits up to its own handshake timeout (a terminal: 30 s) and, if it gives up,
 * reconnects with its back-off.
 *
 * <p>What the gate costs an attacker who can reach the port, so that the bound is not a way to keep
 * terminals out or the center's memory filled: a connection queues only once its first bytes (the
 * ClientHello) have arrived, so idle TCP connections never take a turn, and one that sends nothing
 * for {@link #FIRST_BYTES} is closed; a waiting connection may send at most {@link #MAX_HELD_BYTES}
 * before its turn (more is not a terminal: closed); a turn lasts at most {@code turn} (1 s by
 * default, some hundred times a handshake's CPU): a handshake still unfinished then (a peer that
 * stalls mid-handshake) goes on under its own timeout but no longer counts, and the next starts;
 * and addresses take turns, so stalled connections from one address delay each round by one turn.
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
    /** A connection that has sent nothing this long is closed (the TLS handler's own handshake timeout, 10 s). */
    public static final Duration FIRST_BYTES = Duration.ofSeconds(10);
    /** What a waiting connection may send before its turn: two TLS records (a ClientHello is one, 16 KiB at most). */
    public static final int MAX_HELD_BYTES = 2 * (16_384 + 5);

    private final int atOnce;
    private final long turnMs;
    /** Waiting connections by source address, served in turn across sources (insertion order = next source first). */
    private final LinkedHashMap<Object, ArrayDeque<Admission>> waiting = new LinkedHashMap<>();
    private int waitingNow;
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
        return waitingNow;
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
                waiting.computeIfAbsent(a.source, k -> new ArrayDeque<>()).addLast(a);
                waitingNow++;
                waited++;
                mostWaiting = Math.max(mostWaiting, waitingNow);
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

    /**
     * Under the lock: the next connection to start, taking sources in turn (the oldest of the source
     * whose turn it is; that source then goes behind the others), so one address that queues many
     * connections gets one turn in each round, not all of them.
     */
    private Admission next() {
        var it = waiting.entrySet().iterator();
        if (!it.hasNext()) {
            return null;
        }
        var e = it.next();
        Admission a = e.getValue().pollFirst();
        it.remove();
        if (!e.getValue().isEmpty()) {
            waiting.put(e.getKey(), e.getValue());
        }
        waitingNow--;
        return a;
    }

    private void release() {
        Admission next;
        synchronized (this) {
            running--;
            next = next();
            if (next != null) {
                take();
            }
        }
        if (next != null) {
            next.start();
        }
    }

    private synchronized void leave(Admission a) {
        ArrayDeque<Admission> q = waiting.get(a.source);
        if (q != null && q.remove(a)) {
            waitingNow--;
            if (q.isEmpty()) {
                waiting.remove(a.source);
            }
        }
    }

    private final class Admission extends ChannelInboundHandlerAdapter {
        private final Handshake handshake;
        private ChannelHandlerContext ctx;
        private Object source;
        /** What was read before the turn: the ClientHello (or its start), handed on when it starts. */
        private final List<Object> held = new ArrayList<>(1);
        private int heldBytes;
        private boolean queued;
        private boolean started;
        private ScheduledFuture<?> firstBytesDeadline;

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
            SocketAddress remote = ctx.channel().remoteAddress();
            source = remote instanceof InetSocketAddress in && in.getAddress() != null ? in.getAddress() : remote;
            ctx.fireChannelActive();
            firstBytesDeadline = ctx.executor().schedule(() -> {
                if (!queued) {
                    ctx.close(); // sent nothing: closed as the TLS handler's handshake timeout would have
                }
            }, FIRST_BYTES.toMillis(), TimeUnit.MILLISECONDS);
            ctx.read(); // a connection that sends nothing never takes a turn
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            held.add(msg);
            heldBytes += msg instanceof ByteBuf b ? b.readableBytes() : 0;
            if (heldBytes > MAX_HELD_BYTES) {
                leave(this);
                releaseHeld();
                ctx.close(); // more than a ClientHello before its turn: not a terminal
                return;
            }
            if (!queued) {
                queued = true;
                firstBytesDeadline.cancel(false);
                arrive(this);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // Not passed on (the frame decoder would ask for more reads). One read stays pending while the
            // connection waits, so that its close is noticed; what it sends meanwhile is bounded by MAX_HELD_BYTES.
            if (!started && ctx.channel().isActive()) {
                ctx.read();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (firstBytesDeadline != null) {
                firstBytesDeadline.cancel(false);
            }
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
            heldBytes = 0;
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
            started = true;
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
