package com.onecard.pos.center.sync;

import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.Envelope;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * One session's downstream changes on their way to the socket: bounded, and written only while
 * the channel is writable (Netty's write-buffer water marks), so a slow terminal costs this
 * queue, not the center's memory. A live push that finds the queue full closes the session:
 * the terminal reconnects and replays from its cursors, which compacts what it missed. A replay
 * instead waits for room, since it can read on from the database when the socket has drained.
 */
final class PushQueue {
    private static final Logger log = LoggerFactory.getLogger(PushQueue.class);

    private final Channel channel;
    private final int limit;
    private final String who;
    private final ArrayDeque<Downstream> queue = new ArrayDeque<>();
    private boolean drainScheduled;
    private boolean overflowed;

    PushQueue(Channel channel, int limit, String who) {
        this.channel = channel;
        this.limit = limit;
        this.who = who;
    }

    /** A live change; never blocks. False (and the session closing) when the queue is full. */
    boolean offer(Downstream d) {
        synchronized (this) {
            if (overflowed) {
                return false;
            }
            if (queue.size() >= limit) {
                overflowed = true;
                queue.clear();
                log.warn("{}: {} downstream changes waiting on a slow link; closing the session, it will replay from"
                        + " its cursors", who, limit);
                channel.close();
                return false;
            }
            queue.add(d);
        }
        scheduleDrain();
        return true;
    }

    /**
     * A replayed change: waits while the queue is more than half full, at most {@code patience};
     * false when the channel closed or did not drain in time (the session is then closed).
     */
    boolean put(Downstream d, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        synchronized (this) {
            while (queue.size() >= limit / 2 && channel.isActive() && !overflowed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    log.warn("{}: the link took no downstream change for {} s during replay; closing", who,
                            patience.toSeconds());
                    channel.close();
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            if (!channel.isActive() || overflowed) {
                return false;
            }
            queue.add(d);
        }
        scheduleDrain();
        return true;
    }

    int size() {
        synchronized (this) {
            return queue.size();
        }
    }

    private void scheduleDrain() {
        synchronized (this) {
            if (drainScheduled) {
                return;
            }
            drainScheduled = true;
        }
        channel.eventLoop().execute(this::drain);
    }

    /** On the channel's event loop: writes while the socket takes more; resumed by {@link #writable()}. */
    void drain() {
        int written = 0;
        while (channel.isWritable()) {
            Downstream d;
            synchronized (this) {
                d = queue.poll();
                if (d == null) {
                    drainScheduled = false;
                    notifyAll();
                    break;
                }
            }
            channel.write(Envelope.newBuilder().setDownstream(d).build(), channel.voidPromise());
            written++;
        }
        if (written > 0) {
            channel.flush();
        }
        synchronized (this) {
            if (!channel.isWritable()) {
                // Not writable any more: channelWritabilityChanged calls writable() when it is again.
                drainScheduled = false;
            }
            notifyAll();
        }
    }

    /** The socket drained below the low water mark. */
    void writable() {
        if (channel.isWritable() && size() > 0) {
            scheduleDrain();
        }
    }

    /** The channel closed: wake a waiting replay. */
    void closed() {
        synchronized (this) {
            queue.clear();
            notifyAll();
        }
    }
}
