package com.onecard.pos.center.sync;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import com.onecard.pos.center.feed.EncodedAccountUpdate;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.DownstreamBatch;
import com.onecard.pos.sync.proto.Envelope;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One session's downstream changes on their way to the socket: bounded, and written only while
 * the channel is writable (Netty's write-buffer water marks), so a slow terminal costs this
 * queue, not the center's memory.
 *
 * <p>Account changes are coalesced: a terminal needs an account's newest state, not every
 * version on the way (each carries the whole state and the watermark it includes, see
 * docs/protocol.md §6), so a newer change of an account still waiting replaces the waiting one
 * and moves to the back of the queue. Changes are offered in version order, so the queue stays
 * in version order and a terminal's accounts cursor never passes a change it has not received.
 * A live account change waits as the feed's {@link EncodedAccountUpdate}, serialized once for
 * every session; its bytes for this terminal (its own applied_seq) are made when it is written,
 * so changes that are replaced cost a map entry, not a message.
 *
 * <p>A live change that finds the queue full (distinct changes waiting) closes the session: the
 * terminal reconnects and replays from its cursors, which compacts what it missed. A replay
 * instead waits for room, since it can read on from the database when the socket has drained.
 *
 * <p>To a terminal that understands it (Hello feature {@code downstream_batch}, see
 * {@link #batches(boolean)}) the changes of a drain turn go as one {@code DownstreamBatch} frame
 * instead of one frame each: one write through the pipeline, one length prefix and one TLS
 * record or two for up to {@link #BATCH_MAX_CHANGES} changes. A terminal without the feature
 * gets every change in its own Envelope, as before.
 */
final class PushQueue {
    private static final Logger log = LoggerFactory.getLogger(PushQueue.class);

    /**
     * A change waiting: a live account change (shared bytes, made this terminal's when written), or
     * a built change (another stream's, or a replayed account's); {@code accountId} is 0 for those
     * of other streams.
     */
    private record Entry(Downstream change, EncodedAccountUpdate account, long accountId, long version,
                         long appliedSeq) {
        /** What goes to the pipeline: an Envelope, or a live account change's Envelope bytes. */
        Object message() {
            if (account != null) {
                return Unpooled.wrappedBuffer(account.envelope(appliedSeq));
            }
            return Envelope.newBuilder().setDownstream(change).build();
        }

        /** Bytes of this change's serialized Downstream for this terminal. */
        int downstreamSize() {
            return account != null ? account.downstreamSize(appliedSeq) : change.getSerializedSize();
        }

        /** Writes this change's serialized Downstream (fields only; the caller frames it). */
        void writeDownstream(CodedOutputStream o) throws IOException {
            if (account != null) {
                account.writeDownstream(o, appliedSeq);
            } else {
                change.writeTo(o);
            }
        }

        /** Whether this entry, waiting, may give way to {@code newer} of the same account. */
        boolean supersededBy(Entry newer) {
            return newer.version > version || (newer.version == version && newer.appliedSeq >= appliedSeq);
        }
    }

    /** Key of an account's waiting change: at most one per account. */
    private record AccountKey(long accountId) {
    }

    private final Channel channel;
    private final int limit;
    private final String who;
    /** Insertion order = write order; an account's newer change is re-inserted at the back. */
    private final LinkedHashMap<Object, Entry> queue = new LinkedHashMap<>();
    private long coalesced;
    private boolean drainScheduled;
    private boolean overflowed;
    /** The terminal listed {@code downstream_batch} in its Hello: a drain turn writes one batch frame. */
    private volatile boolean batches;

    PushQueue(Channel channel, int limit, String who) {
        this.channel = channel;
        this.limit = limit;
        this.who = who;
    }

    /**
     * Whether the terminal takes {@code DownstreamBatch} frames (its Hello listed the feature); set
     * when the session opens, before any change is offered. Off by default: one Envelope per change.
     */
    void batches(boolean on) {
        batches = on;
    }

    /** A live change of a stream other than accounts; never blocks. False (and the session closing) when full. */
    boolean offer(Downstream d) {
        if (d.hasAccount()) {
            return offerAccounts(List.of(EncodedAccountUpdate.of(d.getAccount())), d.getAccount().getAppliedSeq());
        }
        synchronized (this) {
            if (!room(1)) {
                return false;
            }
            queue.put(new Object(), new Entry(d, null, 0, d.getVersion(), 0));
        }
        scheduleDrain();
        return true;
    }

    /**
     * Live account changes in version order, each to carry {@code appliedSeq} (this terminal's
     * watermark that their purses include); coalesced with any change of the same account still
     * waiting. Never blocks; false (and the session closing) when the queue is full.
     */
    boolean offerAccounts(List<EncodedAccountUpdate> updates, long appliedSeq) {
        synchronized (this) {
            for (EncodedAccountUpdate u : updates) {
                if (!enqueueAccount(new Entry(null, u, u.accountId(), u.version(), appliedSeq), true)) {
                    return false;
                }
            }
        }
        scheduleDrain();
        return true;
    }

    /** Under the lock: the account's change replaces a waiting one of the same account, or joins the back. */
    private boolean enqueueAccount(Entry e, boolean live) {
        AccountKey key = new AccountKey(e.accountId);
        Entry waiting = queue.get(key);
        if (waiting != null) {
            if (!waiting.supersededBy(e)) {
                return true;
            }
            queue.remove(key);
            coalesced++;
        } else if (live && !room(1)) {
            return false;
        }
        queue.put(key, e);
        return true;
    }

    /** Under the lock: true when {@code n} more changes fit; otherwise the session is closed. */
    private boolean room(int n) {
        if (overflowed) {
            return false;
        }
        if (queue.size() + n > limit) {
            overflowed = true;
            queue.clear();
            log.warn("{}: {} downstream changes waiting on a slow link; closing the session, it will replay from"
                    + " its cursors", who, limit);
            channel.close();
            return false;
        }
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
            if (d.hasAccount()) {
                enqueueAccount(new Entry(d, null, d.getAccount().getAccountId(), d.getVersion(),
                        d.getAccount().getAppliedSeq()), false);
            } else {
                queue.put(new Object(), new Entry(d, null, 0, d.getVersion(), 0));
            }
        }
        scheduleDrain();
        return true;
    }

    int size() {
        synchronized (this) {
            return queue.size();
        }
    }

    /** Account changes that were replaced by a newer change of the same account before being written. */
    long coalesced() {
        synchronized (this) {
            return coalesced;
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

    /**
     * Changes written per turn on the event loop before the rest waits behind the loop's other
     * work: the loop serves this terminal's authorization answers and hundreds of other
     * connections, which must not wait for a whole replay to be encoded and encrypted.
     */
    static final int WRITES_PER_TURN = 64;

    /**
     * Changes in one {@code DownstreamBatch} frame at most, and changes written per drain turn when
     * the terminal takes batches: the turn's changes go as one frame of a few kilobytes (an account
     * change is ≈ 60–90 bytes), the cost that {@link #WRITES_PER_TURN} bounds for single frames.
     */
    static final int BATCH_MAX_CHANGES = 256;

    /**
     * Bytes of Downstream changes in one batch frame at most (a change larger than this, e.g. a
     * holder's photo, goes alone): far below the protocol's 1 MiB frame limit.
     */
    static final int BATCH_MAX_BYTES = 64 * 1024;

    /**
     * On the channel's event loop: writes while the socket takes more, at most
     * {@link #WRITES_PER_TURN} frames (and, to a terminal that takes batches, one frame of at most
     * {@link #BATCH_MAX_CHANGES} changes), then yields the loop and carries on in a later task;
     * resumed by {@link #writable()} once the socket drained.
     */
    void drain() {
        int written = 0;
        boolean emptied = false;
        boolean batching = batches;
        List<Entry> batch = batching ? new ArrayList<>() : null;
        int[] sizes = batching ? new int[BATCH_MAX_CHANGES] : null;
        while (written < WRITES_PER_TURN && channel.isWritable()) {
            Entry e = null;
            int bytes = 0;
            synchronized (this) {
                Iterator<Map.Entry<Object, Entry>> it = queue.entrySet().iterator();
                if (!it.hasNext()) {
                    drainScheduled = false;
                    notifyAll();
                    emptied = true;
                    break;
                }
                if (!batching) {
                    e = it.next().getValue();
                    it.remove();
                } else {
                    batch.clear();
                    while (batch.size() < BATCH_MAX_CHANGES && it.hasNext()) {
                        Entry next = it.next().getValue();
                        int size = next.downstreamSize();
                        if (!batch.isEmpty() && bytes + size > BATCH_MAX_BYTES) {
                            break;
                        }
                        it.remove();
                        sizes[batch.size()] = size;
                        batch.add(next);
                        bytes += size;
                    }
                }
            }
            if (!batching) {
                channel.write(e.message(), channel.voidPromise());
                written++;
                continue;
            }
            channel.write(batch.size() == 1 ? batch.get(0).message() : batchFrame(batch, sizes),
                    channel.voidPromise());
            written++;
            if (batch.size() == BATCH_MAX_CHANGES || bytes >= BATCH_MAX_BYTES / 2) {
                // a full frame: the turn's share of the loop; what is left waits behind the loop's other work
                break;
            }
        }
        if (written > 0) {
            channel.flush();
        }
        boolean again;
        synchronized (this) {
            if (emptied) {
                // nothing left (a change offered since scheduled its own drain)
                again = false;
            } else if (queue.isEmpty()) {
                // the turn wrote the last change: the next offer schedules a drain
                drainScheduled = false;
                again = false;
            } else if (!channel.isWritable()) {
                // channelWritabilityChanged calls writable() when the socket takes more
                drainScheduled = false;
                again = false;
            } else {
                // A full turn and more waits, or the flush made the channel writable again while this
                // drain was still marked scheduled (so the writable() it triggered scheduled nothing):
                // carry on with what waits, behind the tasks already queued on the loop.
                again = true;
            }
            notifyAll();
        }
        if (again) {
            channel.eventLoop().execute(this::drain);
        }
    }

    /**
     * {@code Envelope{downstream_batch{changes...}}} serialized (without the frame's length prefix,
     * which the pipeline adds): each change's bytes exactly as in its own Envelope.
     */
    private static Object batchFrame(List<Entry> batch, int[] sizes) {
        int body = 0;
        for (int i = 0; i < batch.size(); i++) {
            body += CodedOutputStream.computeTagSize(DownstreamBatch.CHANGES_FIELD_NUMBER)
                    + CodedOutputStream.computeUInt32SizeNoTag(sizes[i]) + sizes[i];
        }
        byte[] out = new byte[CodedOutputStream.computeTagSize(Envelope.DOWNSTREAM_BATCH_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(body) + body];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            o.writeTag(Envelope.DOWNSTREAM_BATCH_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt32NoTag(body);
            for (int i = 0; i < batch.size(); i++) {
                o.writeTag(DownstreamBatch.CHANGES_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                o.writeUInt32NoTag(sizes[i]);
                batch.get(i).writeDownstream(o);
            }
            o.checkNoSpaceLeft();
        } catch (IOException ex) {
            // sizes are computed above: the array is exactly as long as what is written
            throw new UncheckedIOException("encoding a batch of " + batch.size() + " downstream changes", ex);
        }
        return Unpooled.wrappedBuffer(out);
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
