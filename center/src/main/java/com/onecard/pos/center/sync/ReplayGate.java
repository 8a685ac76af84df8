package com.onecard.pos.center.sync;

import com.onecard.pos.center.feed.EncodedAccountUpdate;
import com.onecard.pos.center.ledger.Streams;
import com.onecard.pos.sync.proto.Downstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Holds live changes back while a session replays from its cursors, then lets through only
 * those the replay's snapshot did not cover. A terminal thus sees every stream in version order
 * (append-only streams skip versions at or below their cursor, so order matters) and misses
 * nothing that committed between the snapshot and the subscription.
 *
 * <p>Before the replay starts (the session waits for a {@link ReplaySlots slot}) live changes
 * are dropped, not held: a change reaches a subscriber only after it committed, and the replay's
 * snapshot is taken after {@link #replaying()}, so it covers every change dropped before it. A
 * session waiting for its turn thus costs no memory however long it waits.
 */
final class ReplayGate {
    /** Where changes go once the replay is written (the session's push queue). */
    interface Out {
        void change(Downstream d);

        void accounts(List<EncodedAccountUpdate> updates, long appliedSeq);
    }

    /** A live change held back: one stream change, or account changes carrying a watermark. */
    private record Held(Downstream change, List<EncodedAccountUpdate> accounts, long appliedSeq) {
    }

    private enum State { WAITING, REPLAYING, LIVE }

    private final Out out;
    private State state = State.WAITING;
    private List<Held> held = new ArrayList<>();
    private long dropped;

    ReplayGate(Out out) {
        this.out = out;
    }

    /** A live change: held during the replay, sent after it. */
    void live(Downstream d) {
        synchronized (this) {
            if (state == State.WAITING) {
                dropped++;
                return;
            }
            if (state == State.REPLAYING) {
                held.add(new Held(d, null, 0));
                return;
            }
        }
        out.change(d);
    }

    /** Live account changes with the watermark they carry: held during the replay, sent after it. */
    void liveAccounts(List<EncodedAccountUpdate> updates, long appliedSeq) {
        synchronized (this) {
            if (state == State.WAITING) {
                dropped += updates.size();
                return;
            }
            if (state == State.REPLAYING) {
                held.add(new Held(null, updates, appliedSeq));
                return;
            }
        }
        out.accounts(updates, appliedSeq);
    }

    /**
     * The replay is about to take its snapshot: from now on live changes are held until
     * {@link #replayed}. Call before the snapshot's first statement.
     */
    void replaying() {
        synchronized (this) {
            if (state != State.WAITING) {
                throw new IllegalStateException("a session replays once; gate is " + state);
            }
            state = State.REPLAYING;
        }
    }

    /** Live changes dropped while the session waited for its replay (covered by the replay). */
    synchronized long dropped() {
        return dropped;
    }

    /** The replay is written; {@code covered} is each stream's version in its snapshot. */
    void replayed(Map<String, Long> covered) {
        synchronized (this) {
            if (state != State.REPLAYING) {
                throw new IllegalStateException("replayed without replaying(); gate is " + state);
            }
            state = State.LIVE;
            List<Held> pending = held;
            held = null;
            long accountsCovered = covered.getOrDefault(Streams.ACCOUNTS, 0L);
            for (Held h : pending) {
                if (h.change != null) {
                    if (h.change.getVersion() > covered.getOrDefault(h.change.getStream(), 0L)) {
                        out.change(h.change);
                    }
                } else {
                    List<EncodedAccountUpdate> newer = h.accounts.stream().filter(u -> u.version() > accountsCovered)
                            .toList();
                    if (!newer.isEmpty()) {
                        out.accounts(newer, h.appliedSeq);
                    }
                }
            }
        }
    }
}
