package com.onecard.pos.center.ledger;

import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RefusedRow;
import com.onecard.pos.sync.proto.RowRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one uploaded batch does, decided row by row before anything is written (see
 * {@link Ingest}): each row's status, the money it moves summed per account, the movements in seq
 * order, the sales whose holds it consumes, what it refuses and flags, the sightings to tell.
 */
final class Batch {
    private static final Logger log = LoggerFactory.getLogger(Batch.class);

    /** A row stored and acknowledged but not applied. */
    record Flagged(JournalRow row, RowRefusal code, String text) {
    }

    /** A lost card seen at the terminal: its owner gets a message. */
    record Sighting(long owner, long timeMs) {
    }

    final long now;
    /** seq → APPLIED, REFUSED, UNKNOWN_KIND or CARRIED. */
    final Map<Long, String> status = new TreeMap<>();
    /** account → {subsidy, cash} fen moved by the batch (signed); in account-id order. */
    final Map<Long, long[]> deltas = new TreeMap<>();
    /** Movements in seq order, overdraft not yet known (Ingest.moveMoney decides it with the balances). */
    final List<Movement> pending = new ArrayList<>();
    final List<String> sales = new ArrayList<>();
    final List<Flagged> flagged = new ArrayList<>();
    final List<Sighting> sightings = new ArrayList<>();
    final List<RefusedRow> refused = new ArrayList<>();

    Batch(long now) {
        this.now = now;
    }

    void add(long accountId, long subsidy, long cash) {
        long[] d = deltas.computeIfAbsent(accountId, k -> new long[2]);
        d[0] += subsidy;
        d[1] += cash;
    }

    void refuse(String terminalId, JournalRow row, RowRefusal code, String message) {
        String text = "seq " + row.getSeq() + ": " + message;
        flagged.add(new Flagged(row, code, text));
        refused.add(RefusedRow.newBuilder().setSeq(row.getSeq()).setCode(code).setMessage(text).build());
        log.warn("terminal {}: {} {}", terminalId, code, text);
    }
}
