package com.onecard.pos.center.sync;

import com.onecard.pos.sync.proto.Downstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Holds live changes back while a session replays from its cursors, then lets through only
 * those the replay's snapshot did not cover. A terminal thus sees every stream in version order
 * (append-only streams skip versions at or below their cursor, so order matters) and misses
 * nothing that committed between the snapshot and the subscription.
 */
final class ReplayGate {
    private final Consumer<Downstream> out;
    private List<Downstream> held = new ArrayList<>();

    ReplayGate(Consumer<Downstream> out) {
        this.out = out;
    }

    /** A live change: held during the replay, sent after it. */
    void live(Downstream d) {
        synchronized (this) {
            if (held != null) {
                held.add(d);
                return;
            }
        }
        out.accept(d);
    }

    /** The replay is written; {@code covered} is each stream's version in its snapshot. */
    void replayed(Map<String, Long> covered) {
        List<Downstream> pending;
        synchronized (this) {
            pending = held;
            held = null;
            for (Downstream d : pending) {
                if (d.getVersion() > covered.getOrDefault(d.getStream(), 0L)) {
                    out.accept(d);
                }
            }
        }
    }
}
