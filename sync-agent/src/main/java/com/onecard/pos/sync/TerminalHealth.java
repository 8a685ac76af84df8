package com.onecard.pos.sync;

import com.onecard.pos.sync.proto.FleetReport;

import java.util.Objects;

/**
 * What a terminal tells the card office about itself with each heartbeat: its store-and-forward
 * backlog and its card reader's state. The wire form is {@link FleetReport} (Heartbeat field 3);
 * this record is the domain form on both sides, mapped here and nowhere else.
 *
 * @param backlogCount      journal rows not yet acknowledged by the center
 * @param backlogFen        sum of those rows' amounts, fen
 * @param oldestUnsentAgeMs terminal clock now minus the oldest unacknowledged row's time, ms; 0 when none
 * @param readerState       the reader loop's state (OK, DEGRADED, DISCONNECTED), or NONE without a reader
 */
public record TerminalHealth(long backlogCount, long backlogFen, long oldestUnsentAgeMs, String readerState) {
    /** Reader state reported by a terminal configured without a card reader. */
    public static final String NO_READER = "NONE";

    public TerminalHealth {
        Objects.requireNonNull(readerState, "readerState");
        if (backlogCount < 0 || oldestUnsentAgeMs < 0) {
            throw new IllegalArgumentException("backlog count and oldest unsent age must not be negative: "
                    + backlogCount + ", " + oldestUnsentAgeMs + " ms");
        }
    }

    public FleetReport toProto() {
        return FleetReport.newBuilder().setBacklogCount(backlogCount).setBacklogFen(backlogFen)
                .setOldestUnsentAgeMs(oldestUnsentAgeMs).setReaderState(readerState).build();
    }

    /** The center's reading of a terminal's report; negative figures from a faulty peer are clamped to 0. */
    public static TerminalHealth fromProto(FleetReport r) {
        return new TerminalHealth(Math.max(0, r.getBacklogCount()), r.getBacklogFen(),
                Math.max(0, r.getOldestUnsentAgeMs()), r.getReaderState().isEmpty() ? "UNKNOWN" : r.getReaderState());
    }
}
