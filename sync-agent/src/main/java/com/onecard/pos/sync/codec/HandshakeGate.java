package com.onecard.pos.sync.codec;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * At most a set number of TLS handshakes of one server at once. A connection beyond that is
 * accepted and kept, unread (its ClientHello waits in the socket), until a running handshake ends,
 * succeeded or failed; then the connection that waited longest starts. A fleet that reconnects at
 * once thus takes at most that many handshakes' worth of CPU, and the sessions already open keep
 * the rest. A waiting connection's handshake timeout starts when it is admitted; its peer's does
 * not wait (a terminal that gives up reconnects with its back-off).
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

    private final int atOnce;
    private final ArrayDeque<Admission> waiting = new ArrayDeque<>();
    private int running;
    private int mostRunning;
    private int mostWaiting;
    private long waited;
    private long admitted;

    /** @param atOnce handshakes running at once, at least 1; IllegalArgumentException otherwise */
    public HandshakeGate(int atOnce) {
        if (atOnce < 1) {
            throw new IllegalArgumentException("TLS handshakes at once must be at least 1: " + atOnce);
        }
        this.atOnce = atOnce;
    }

    /**
     * The stage that stands where the TLS handler goes in one new connection's pipeline: it turns
     * the connection's reads off when added, and when the connection is active and a handshake may
     * start, hands over to {@code handshake} and turns reads back on.
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
            arrive(this);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            leave(this);
            ctx.fireChannelInactive();
        }

        /** Holds one of the gate's handshakes: gives it back when the handshake ends or cannot start. */
        void start() {
            try {
                ctx.channel().eventLoop().execute(this::startOnLoop);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                release();
            }
        }

        private void startOnLoop() {
            if (!ctx.channel().isActive() || ctx.isRemoved()) {
                release();
                return;
            }
            Future<?> done;
            try {
                done = handshake.start(ctx);
            } catch (RuntimeException e) {
                release();
                ctx.channel().close();
                return;
            }
            done.addListener(f -> release());
            ctx.channel().config().setAutoRead(true);
        }
    }
}
