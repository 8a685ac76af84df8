package com.onecard.pos.terminal.store;

import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.terminal.journal.JournalSealer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Walks the MAC chain from a verified point to the head, and reads and writes the tagged
 * checkpoint ({@code meta.chain_checkpoint}: seq, row MAC, tag) that later walks start from.
 * Works on any connection: the writer at start, a read-only one for selftest.
 */
final class ChainWalk {
    static final String CHECKPOINT_KEY = "chain_checkpoint";
    /** The last row moved to an archive: the journal in this file starts after it. */
    static final String ARCHIVED_KEY = "archived_through";

    private ChainWalk() {
    }

    /** The outcome of a walk: the point reached, the rows checked, and the first problem or null. */
    record Result(ChainPoint head, long rows, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    /** Rows walked between two calls of a walk's {@code between} (a check yielding to sales pauses there). */
    static final int BATCH = JournalVerifier.BATCH_ROWS;

    static Result walk(Connection c, JournalSealer sealer, ChainPoint from) throws SQLException {
        return walk(c, sealer, from, () -> { });
    }

    /**
     * The chain from {@code from} to the head, in one statement on the caller's snapshot; {@code between} runs
     * after every {@link #BATCH} rows (it may wait: the rows it has not read yet stay those of the same snapshot).
     */
    static Result walk(Connection c, JournalSealer sealer, ChainPoint from, Runnable between) throws SQLException {
        byte[] prev = from.mac();
        long expect = from.seq() + 1;
        long rows = 0;
        try (PreparedStatement ps = c.prepareStatement(JournalRows.SELECT + " WHERE seq>? ORDER BY seq")) {
            ps.setLong(1, from.seq());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JournalRow r = JournalRows.read(rs);
                    if (r.getSeq() != expect) {
                        return new Result(new ChainPoint(expect - 1, prev), rows,
                                "journal row " + expect + " is missing (next row is " + r.getSeq() + ")");
                    }
                    if (!sealer.verifies(prev, r)) {
                        return new Result(new ChainPoint(expect - 1, prev), rows,
                                "journal row " + r.getSeq() + " fails its MAC: edited, or chained to an edited row");
                    }
                    prev = r.getMac().toByteArray();
                    expect++;
                    rows++;
                    if (rows % BATCH == 0) {
                        between.run();
                    }
                }
            }
        }
        return new Result(new ChainPoint(expect - 1, prev), rows, null);
    }

    /**
     * The checkpoint to verify from, checked: its tag is right and its row still carries its MAC.
     *
     * @return the checkpoint, or {@code fallback} when none was written yet
     * @throws StoreException (CORRUPT) naming the checkpoint when it was edited or its row changed
     */
    static ChainPoint checkpoint(Connection c, JournalSealer sealer, ChainPoint fallback) throws SQLException {
        String v = meta(c, CHECKPOINT_KEY);
        if (v == null) {
            return fallback;
        }
        ChainPoint cp = decode(v, sealer, "checkpoint");
        if (cp.seq() <= fallback.seq()) {
            return fallback;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT mac FROM journal WHERE seq=?")) {
            ps.setLong(1, cp.seq());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException(StoreException.Kind.CORRUPT, "journal row " + cp.seq()
                            + " of the last verified checkpoint is missing: rows were removed or the journal rolled back", null);
                }
                if (!Arrays.equals(rs.getBytes(1), cp.mac())) {
                    throw new StoreException(StoreException.Kind.CORRUPT, "journal row " + cp.seq()
                            + " no longer carries the MAC it had when verified: edited", null);
                }
            }
        }
        return cp;
    }

    /** Where this file's chain starts: after the last archived row, or at genesis. */
    static ChainPoint start(Connection c, JournalSealer sealer) throws SQLException {
        String v = meta(c, ARCHIVED_KEY);
        return v == null ? ChainPoint.genesis() : decode(v, sealer, "archive boundary");
    }

    static ChainPoint decode(String v, JournalSealer sealer, String what) {
        try {
            String[] p = v.split(":");
            ChainPoint cp = new ChainPoint(Long.parseLong(p[0]), HexFormat.of().parseHex(p[1]));
            if (p.length == 3 && Arrays.equals(HexFormat.of().parseHex(p[2]), sealer.checkpointTag(cp.seq(), cp.mac()))) {
                return cp;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new StoreException(StoreException.Kind.CORRUPT, "journal " + what + " '" + v
                + "' does not verify: the meta table was edited", null);
    }

    static String encode(ChainPoint p, JournalSealer sealer) {
        return p.seq() + ":" + HexFormat.of().formatHex(p.mac()) + ":" + HexFormat.of().formatHex(sealer.checkpointTag(p.seq(), p.mac()));
    }

    static String meta(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key=?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
