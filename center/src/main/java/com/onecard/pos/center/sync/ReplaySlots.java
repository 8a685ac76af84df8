package com.onecard.pos.center.sync;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * How many sessions of one center instance replay their streams at once. A fleet that
 * reconnects after an outage would otherwise replay on every connection together: every
 * terminal's link and the center's event loops full of replayed changes, and each terminal's
 * online authorization answers queued behind its own replay on its one connection.
 *
 * <p>A session takes a slot before the snapshot of the bulk of its replay (accounts, photos)
 * and gives it back once the terminal has acknowledged the last change of it (DownstreamAck), or
 * the session closed, or the terminal took longer than {@link SyncSessionHandler#REPLAY_PATIENCE}.
 * Sessions waiting for a slot are open meanwhile (Welcome sent, lost cards and the other urgent
 * streams replayed and live; authorizations, uploads and heartbeats served) and get their slot
 * in the order they asked. Never blocks a thread.
 */
final class ReplaySlots {
    private final int slots;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int taken;
    private long started;
    private int mostWaiting;

    /** @param slots replays in progress at once on this instance, at least 1 */
    ReplaySlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("replays at once must be at least 1: " + slots);
        }
        this.slots = slots;
    }

    /**
     * Runs {@code start} at once on this thread when a slot is free, otherwise on the thread
     * that frees one, in the order asked. {@code start} must be quick and must not throw, and
     * the slot it was given must be returned with exactly one {@link #release()}.
     */
    void acquire(Runnable start) {
        synchronized (this) {
            if (taken >= slots) {
                waiting.add(start);
                mostWaiting = Math.max(mostWaiting, waiting.size());
                return;
            }
            taken++;
            started++;
        }
        start.run();
    }

    /** Returns a slot: it goes to the session that has waited longest, if any. */
    void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                if (taken == 0) {
                    throw new IllegalStateException("a replay slot returned that was never taken");
                }
                taken--;
                return;
            }
            started++;
        }
        next.run();
    }

    int slots() {
        return slots;
    }

    /** Replays holding a slot now. */
    synchronized int replaying() {
        return taken;
    }

    /** Sessions waiting for a slot now. */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Replays given a slot since this instance started. */
    synchronized long started() {
        return started;
    }

    /** The most sessions that waited at once since this instance started. */
    synchronized int mostWaiting() {
        return mostWaiting;
    }
}
