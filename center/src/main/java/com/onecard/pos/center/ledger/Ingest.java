package com.onecard.pos.center.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import com.onecard.pos.center.db.LedgerException;
import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RefusedRow;
import com.onecard.pos.sync.proto.RowRefusal;
import com.onecard.pos.sync.proto.UploadError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Store-and-forward ingest: a terminal's journal rows applied idempotently on (terminal, epoch,
 * seq), the MAC chain checked row by row against the last applied row's mac, money moved
 * exactly as the row says (the terminal decided the sale; the center records what happened).
 * A batch is applied whole or not at all.
 *
 * <p>A row the center already holds is compared by MAC; another MAC, or a next row that chains
 * to another predecessor, means the terminal's journal is not the one the center applied: the
 * batch is refused as JOURNAL_DIVERGED and the terminal quarantined until an operator re-seats
 * it. A REVERSAL credits only when {@link Reversals} allows it, a PAYCODE_SALE debits only when
 * {@link PaycodeSales} finds the code the account's own and new, a QR_SALE is applied only when
 * the center paid its token for this terminal, sale, account and amount
 * ({@link QrPayments#unpaidReason}); otherwise, like a row of a kind
 * this center does not know, it is stored, acknowledged, reported back and flagged for the
 * card office, and moves no money.
 *
 * <p><b>Group commit.</b> The batches that sessions hand to {@link #ingest} queue for this
 * instance's one {@link IngestWriter}, which takes every batch waiting (up to
 * {@value IngestWriter#GROUP_MAX_BATCHES} batches, {@value IngestWriter#GROUP_MAX_ROWS} rows)
 * and writes them in one transaction: each batch judged and its rows stored one after the
 * other, then the money of the whole group moved in one statement (each account locked and updated once), its accounts versioned once, one commit and
 * one WAL flush. Each caller gets its own batch's result only after that commit. A batch refused
 * (GAP, BAD_MAC, MALFORMED, JOURNAL_DIVERGED, quarantined) has written nothing and the others go
 * on. When the group's transaction fails, nothing of it is applied; unless the database is
 * unreachable, each of its batches is then written alone, so one batch the database refuses fails
 * alone and the others are applied; a failed batch throws {@link LedgerException} to its caller
 * (the session closes and the terminal resends).
 *
 * <p>Each terminal's row is locked ({@code FOR UPDATE}) before its batch is judged, so two sessions
 * of one terminal, on one instance or on two, apply its batches one after the other: the database
 * serializes a terminal's ingest, not a JVM monitor. A group takes its terminals in terminal-id
 * order and its accounts in account-id order, last, so two instances' groups wait for each other
 * rather than deadlock.
 */
public final class Ingest implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Ingest.class);

    /** One terminal's upload batch, as handed to the writer. */
    record Upload(String terminalId, List<JournalRow> rows) {
    }

    private final UnitOfWork uow;
    private final Clock clock;
    private final Reversals reversals;
    private final IngestWriter writer;

    public Ingest(UnitOfWork uow, Clock clock, Duration reversalWindow) {
        this.uow = uow;
        this.clock = clock;
        this.reversals = new Reversals(reversalWindow);
        this.writer = new IngestWriter(this::writeGroup, this::settle);
    }

    /**
     * Applies a batch through this instance's ingest writer (see the class comment) and returns its
     * result once the group it was written in has committed. A rejected batch changes nothing (a
     * divergence quarantines).
     *
     * @throws LedgerException when the batch could not be written (database error or unreachable,
     *                         the center stopping); nothing of it is applied
     */
    public IngestResult ingest(String terminalId, List<JournalRow> rows) {
        try {
            return submit(terminalId, rows).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new LedgerException("ingesting " + rows.size() + " rows of terminal " + terminalId, e.getCause());
        }
    }

    /**
     * Hands a batch to this instance's ingest writer without waiting: the future completes, on the
     * writer's thread, once the group the batch was written in has committed (a diverged terminal
     * already quarantined), or exceptionally with a {@link LedgerException} when the batch could not
     * be written (nothing of it applied). A terminal's batches complete in the order they were handed in.
     */
    public CompletableFuture<IngestResult> submit(String terminalId, List<JournalRow> rows) {
        return writer.submit(new Upload(terminalId, List.copyOf(rows)));
    }

    /** Stops the ingest writer after the group it is writing; batches still waiting fail (their terminals resend). */
    @Override
    public void close() {
        writer.close();
    }

    /** As the writer does with what it takes from its queue, on the calling thread; for tests of the grouping. */
    List<CompletableFuture<IngestResult>> writeNow(List<Upload> uploads) {
        return writer.writeNow(uploads);
    }

    /** Quarantines a terminal whose batch was refused as diverged, after the group's commit. */
    private IngestResult settle(Upload upload, IngestResult r) {
        if (!r.ok() && r.error().getCode() == UploadError.Code.JOURNAL_DIVERGED && !alreadyQuarantined(r)) {
            quarantine(upload.terminalId(), r.error());
        }
        return r;
    }

    /** One transaction for the whole group; results in the order of {@code uploads}. */
    private List<IngestResult> writeGroup(List<Upload> uploads) {
        Integer[] order = new Integer[uploads.size()];
        int rows = 0;
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            rows += uploads.get(i).rows().size();
        }
        // Terminals in id order (a terminal's own batches in arrival order): two groups never deadlock on them.
        java.util.Arrays.sort(order, java.util.Comparator.comparing((Integer i) -> uploads.get(i).terminalId()));
        String what = uploads.size() == 1
                ? "ingesting " + rows + " rows of terminal " + uploads.get(0).terminalId()
                : "ingesting " + uploads.size() + " batches (" + rows + " rows) of terminals "
                        + uploads.get(order[0]).terminalId() + " .. " + uploads.get(order[order.length - 1]).terminalId();
        return uow.run(what, tx -> {
            Group group = new Group();
            IngestResult[] out = new IngestResult[uploads.size()];
            for (int i : order) {
                out[i] = run(tx, uploads.get(i).terminalId(), uploads.get(i).rows(), group);
            }
            Set<Long> moved = moveMoney(tx, group);
            for (Long accountId : moved) {
                tx.accountChanged(accountId);
            }
            List<IngestResult> results = new ArrayList<>();
            for (IngestResult r : out) {
                if (r.ok() && !r.changedAccounts().isEmpty()) {
                    Set<Long> mine = new java.util.TreeSet<>(r.changedAccounts());
                    mine.retainAll(moved);
                    r = new IngestResult(r.appliedSeq(), r.appliedMac(), null, mine, r.refused());
                }
                results.add(r);
            }
            return results;
        });
    }

    /** The money and movements of a group's accepted batches, in the order they were judged. */
    private static final class Group {
        /** account → {subsidy, cash} fen moved by the group (signed); in account-id order. */
        final Map<Long, long[]> deltas = new TreeMap<>();
        final List<Movement> movements = new ArrayList<>();
        final List<Integer> epochs = new ArrayList<>();

        void add(int epoch, Batch b) {
            b.deltas.forEach((account, d) -> {
                long[] sum = deltas.computeIfAbsent(account, k -> new long[2]);
                sum[0] += d[0];
                sum[1] += d[1];
            });
            for (Movement m : b.pending) {
                movements.add(m);
                epochs.add(epoch);
            }
        }
    }

    /** Every row of the terminal's current epoch in seq order, as stored (applied, refused, flagged, carried). */
    public List<JournalRow> appliedRows(String terminalId) {
        return uow.read("reading journal of " + terminalId, tx -> {
            List<JournalRow> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT j.row FROM journal j JOIN terminals t ON t.id = j.terminal_id AND t.epoch = j.epoch
                    WHERE j.terminal_id = ? ORDER BY j.seq""")) {
                p.setString(1, terminalId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(parse(r.getBytes(1)));
                    }
                }
            }
            return out;
        });
    }

    private static final String QUARANTINED = "terminal is quarantined";

    private static boolean alreadyQuarantined(IngestResult r) {
        return r.error().getMessage().contains(QUARANTINED);
    }

    /**
     * Judges one batch and stores its rows inside the group's transaction; its money goes into
     * {@code group}. A refused batch returns before writing anything, so the group goes on.
     */
    private IngestResult run(Tx tx, String terminalId, List<JournalRow> rows, Group group) throws SQLException {
        byte[] secret;
        long watermark;
        byte[] lastMac;
        int epoch;
        try (PreparedStatement p = tx.c().prepareStatement("""
                SELECT secret, applied_seq, last_mac, revoked, epoch, quarantined_seq, quarantine_reason
                FROM terminals WHERE id = ? FOR UPDATE""")) {
            p.setString(1, terminalId);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next() || r.getBoolean(4)) {
                    return IngestResult.rejected(0, UploadError.Code.MALFORMED, 0, 0,
                            "terminal " + terminalId + " may not upload");
                }
                secret = r.getBytes(1);
                watermark = r.getLong(2);
                lastMac = r.getBytes(3);
                epoch = r.getInt(5);
                long q = r.getLong(6);
                if (!r.wasNull()) {
                    return IngestResult.rejected(watermark, UploadError.Code.JOURNAL_DIVERGED, watermark + 1, q,
                            QUARANTINED + " since seq " + q + " (" + r.getString(7) + "); uploads wait until it is"
                                    + " re-seated: scripts/center terminal reseat " + terminalId);
                }
            }
        }
        IngestResult diverged = compareHeld(tx, terminalId, epoch, watermark, rows);
        if (diverged != null) {
            return diverged;
        }
        long start = watermark;
        JournalMac mac = new JournalMac(secret);
        List<JournalRow> fresh = new ArrayList<>();
        for (JournalRow row : rows) {
            long seq = row.getSeq();
            if (seq <= watermark) {
                continue;
            }
            if (seq != watermark + 1) {
                return IngestResult.rejected(start, UploadError.Code.GAP, watermark + 1, seq,
                        "expected seq " + (watermark + 1) + " but got " + seq);
            }
            if (!mac.verify(lastMac, row)) {
                byte[] prev = row.getPrevMac().toByteArray();
                if (seq == start + 1 && !MessageDigest.isEqual(prev, lastMac) && mac.verify(prev, row)) {
                    // A genuine row of this terminal, chained to a row seq-1 the center never saw.
                    return IngestResult.rejected(start, UploadError.Code.JOURNAL_DIVERGED, watermark + 1, seq,
                            "seq " + seq + " chains to another seq " + (seq - 1) + " than the one the center applied");
                }
                return IngestResult.rejected(start, UploadError.Code.BAD_MAC, watermark + 1, seq,
                        "MAC chain broken at seq " + seq);
            }
            String malformed = validate(row);
            if (malformed != null) {
                return IngestResult.rejected(start, UploadError.Code.MALFORMED, watermark + 1, seq,
                        malformed + " at seq " + seq);
            }
            fresh.add(row);
            watermark = seq;
            lastMac = row.getMac().toByteArray();
        }
        if (fresh.isEmpty()) {
            return new IngestResult(watermark, lastMac, null, Set.of(), List.of());
        }
        Set<Long> carried = carriedOver(tx, terminalId, epoch, fresh);
        Batch batch = judge(tx, terminalId, epoch, fresh, carried);
        // Everything that locks only this terminal's rows (or none) here; the accounts, which other
        // transactions wait for, last, once for the whole group (moveMoney).
        storeRows(tx, terminalId, epoch, fresh, batch.status);
        Holds.consume(tx, terminalId, batch.sales);
        for (Batch.Flagged f : batch.flagged) {
            Flags.flag(tx, terminalId, epoch, f.row().getSeq(), f.row().getKindValue(), f.code().name(), f.text(),
                    batch.now);
        }
        for (Batch.Sighting m : batch.sightings) {
            Messages.insert(tx, m.owner(), Messages.sightingText(terminalId, m.timeMs()), batch.now);
        }
        try (PreparedStatement p = tx.c().prepareStatement(
                "UPDATE terminals SET applied_seq = ?, last_mac = ? WHERE id = ?")) {
            p.setLong(1, watermark);
            p.setBytes(2, lastMac);
            p.setString(3, terminalId);
            p.executeUpdate();
        }
        group.add(epoch, batch);
        return new IngestResult(watermark, lastMac, null, Set.copyOf(batch.deltas.keySet()), batch.refused);
    }

    /** Rows at or below the watermark must be the very rows the center holds. */
    private static IngestResult compareHeld(Tx tx, String terminalId, int epoch, long watermark, List<JournalRow> rows)
            throws SQLException {
        Map<Long, JournalRow> sent = new TreeMap<>();
        for (JournalRow row : rows) {
            if (row.getSeq() <= watermark) {
                sent.put(row.getSeq(), row);
            }
        }
        if (sent.isEmpty()) {
            return null;
        }
        Map<Long, byte[]> held = new HashMap<>();
        try (PreparedStatement p = tx.c().prepareStatement(
                "SELECT seq, row FROM journal WHERE terminal_id = ? AND epoch = ? AND seq = ANY(?)")) {
            p.setString(1, terminalId);
            p.setInt(2, epoch);
            p.setArray(3, tx.c().createArrayOf("bigint", sent.keySet().toArray()));
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    held.put(r.getLong(1), parse(r.getBytes(2)).getMac().toByteArray());
                }
            }
        }
        for (JournalRow row : sent.values()) {
            byte[] h = held.get(row.getSeq());
            if (h == null || !MessageDigest.isEqual(h, row.getMac().toByteArray())) {
                return IngestResult.rejected(watermark, UploadError.Code.JOURNAL_DIVERGED, watermark + 1, row.getSeq(),
                        "seq " + row.getSeq() + " differs from the row the center applied (another MAC)");
            }
        }
        return null;
    }

    private void quarantine(String terminalId, UploadError e) {
        uow.run("quarantining terminal " + terminalId, tx -> {
            long now = clock.millis();
            try (PreparedStatement p = tx.c().prepareStatement("""
                    UPDATE terminals SET quarantined_seq = ?, quarantine_reason = ?, quarantined_ms = ?
                    WHERE id = ? AND quarantined_seq IS NULL RETURNING epoch""")) {
                p.setLong(1, e.getOffendingSeq());
                p.setString(2, e.getMessage());
                p.setLong(3, now);
                p.setString(4, terminalId);
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        Flags.flag(tx, terminalId, r.getInt(1), e.getOffendingSeq(), 0, "JOURNAL_DIVERGED",
                                e.getMessage(), now);
                    }
                }
            }
            return null;
        });
        log.error("terminal {}: journal diverged at seq {} ({}); quarantined: uploads stop until it is re-seated",
                terminalId, e.getOffendingSeq(), e.getMessage());
    }

    private static String validate(JournalRow row) {
        return switch (row.getKind()) {
            case SALE, REVERSAL, PAYCODE_SALE -> row.getSubsidyFen() < 0 || row.getCashFen() < 0
                    ? "negative purse part"
                    : row.getSubsidyFen() + row.getCashFen() != row.getAmountFen()
                    ? "subsidy_fen + cash_fen != amount_fen" : null;
            default -> null;
        };
    }

    /**
     * After a re-seat the terminal uploads its journal again from seq 1: a row with the same seq
     * and MAC as one an earlier epoch applied is that very row (the MAC chains all before it),
     * so it is stored but moves nothing a second time.
     */
    private static Set<Long> carriedOver(Tx tx, String terminalId, int epoch, List<JournalRow> rows)
            throws SQLException {
        if (epoch <= 1) {
            return Set.of();
        }
        Map<Long, byte[]> macs = new HashMap<>();
        for (JournalRow row : rows) {
            macs.put(row.getSeq(), row.getMac().toByteArray());
        }
        Set<Long> out = new java.util.HashSet<>();
        try (PreparedStatement p = tx.c().prepareStatement(
                "SELECT seq, row FROM journal WHERE terminal_id = ? AND epoch < ? AND seq = ANY(?)")) {
            p.setString(1, terminalId);
            p.setInt(2, epoch);
            Array seqs = tx.c().createArrayOf("bigint", macs.keySet().toArray());
            p.setArray(3, seqs);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    byte[] earlier = parse(r.getBytes(2)).getMac().toByteArray();
                    if (MessageDigest.isEqual(earlier, macs.get(r.getLong(1)))) {
                        out.add(r.getLong(1));
                    }
                }
            }
        }
        return out;
    }

    /** The batch's rows, one statement: status as judged (APPLIED, REFUSED, UNKNOWN_KIND, CARRIED). */
    private static void storeRows(Tx tx, String terminalId, int epoch, List<JournalRow> rows, Map<Long, String> status)
            throws SQLException {
        Long[] seqs = new Long[rows.size()];
        byte[][] bytes = new byte[rows.size()][];
        String[] states = new String[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            JournalRow row = rows.get(i);
            seqs[i] = row.getSeq();
            bytes[i] = row.toByteArray();
            states[i] = status.get(row.getSeq());
        }
        try (PreparedStatement p = tx.c().prepareStatement("""
                INSERT INTO journal(terminal_id, epoch, seq, row, status)
                SELECT ?, ?, x.seq, x.row, x.status FROM unnest(?::bigint[], ?::bytea[], ?::text[]) AS x(seq, row, status)""")) {
            p.setString(1, terminalId);
            p.setInt(2, epoch);
            p.setArray(3, tx.c().createArrayOf("bigint", seqs));
            p.setArray(4, tx.c().createArrayOf("bytea", bytes));
            p.setArray(5, tx.c().createArrayOf("text", states));
            p.executeUpdate();
        }
    }

    private static boolean known(JournalRow row) {
        return switch (row.getKind()) {
            case SALE, REVERSAL, QR_SALE, LOST_CARD_SIGHTING, PAYCODE_SALE -> true;
            default -> false;
        };
    }

    /**
     * Decides what each new row does, in seq order, before anything is written: its status, the
     * money it moves (summed per account), its movement, the holds it consumes, what is flagged.
     * A reversal of a row in this same batch is judged against that row as judged here.
     */
    private Batch judge(Tx tx, String terminalId, int epoch, List<JournalRow> rows, Set<Long> carried)
            throws SQLException {
        Batch b = new Batch(clock.millis());
        Map<Long, Reversals.Held> inBatch = new HashMap<>();
        for (JournalRow row : rows) {
            long seq = row.getSeq();
            if (carried.contains(seq)) {
                b.status.put(seq, "CARRIED");
                inBatch.put(seq, new Reversals.Held(row, "CARRIED"));
                continue;
            }
            String status = known(row) ? "APPLIED" : "UNKNOWN_KIND";
            long accountId = row.getAccountId();
            switch (row.getKind()) {
                case SALE -> {
                    b.add(accountId, -row.getSubsidyFen(), -row.getCashFen());
                    b.pending.add(new Movement(accountId, "SALE", terminalId, seq, -row.getSubsidyFen(),
                            -row.getCashFen(), row.getMode().name(), false, row.getTimeMs()));
                    b.sales.add(row.getSaleId());
                }
                case PAYCODE_SALE -> {
                    PaycodeSales.Verdict v = PaycodeSales.judge(tx, terminalId, epoch, row);
                    if (!v.allowed()) {
                        status = "REFUSED";
                        b.refuse(terminalId, row, v.code(), v.message());
                        break;
                    }
                    b.add(accountId, -row.getSubsidyFen(), -row.getCashFen());
                    b.pending.add(new Movement(accountId, "SALE", terminalId, seq, -row.getSubsidyFen(),
                            -row.getCashFen(), "PAYCODE", false, row.getTimeMs()));
                }
                case REVERSAL -> {
                    Reversals.Verdict v = reversals.judge(tx, terminalId, epoch, row, inBatch);
                    if (!v.allowed()) {
                        status = "REFUSED";
                        b.refuse(terminalId, row, v.code(), v.message());
                        break;
                    }
                    b.add(accountId, row.getSubsidyFen(), row.getCashFen());
                    b.pending.add(new Movement(accountId, "REVERSAL", terminalId, seq, row.getSubsidyFen(),
                            row.getCashFen(), "reverses:" + row.getReversesSeq(), false, row.getTimeMs()));
                    // a QR sale's token was moved to refunded by Reversals.judge (or the reversal refused)
                }
                case QR_SALE -> {
                    // informational, but only for a payment the center made: a forged one must not
                    // make its REVERSAL credit money
                    String unpaid = QrPayments.unpaidReason(tx, terminalId, row);
                    if (unpaid != null) {
                        status = "REFUSED";
                        b.refuse(terminalId, row, RowRefusal.QR_SALE_NOT_PAID, unpaid);
                        break;
                    }
                    b.pending.add(new Movement(accountId, "QR_SALE", terminalId, seq, 0, 0,
                            "qr:" + row.getQrToken(), false, row.getTimeMs()));
                }
                case LOST_CARD_SIGHTING -> {
                    long owner = accountId;
                    if (owner == 0) {
                        Long holder = AccountRow.accountOfCard(tx, row.getCardUid().toByteArray());
                        owner = holder == null ? 0 : holder;
                    }
                    b.pending.add(new Movement(owner, "SIGHTING", terminalId, seq, 0, 0, "sighting", false,
                            row.getTimeMs()));
                    b.sightings.add(new Batch.Sighting(owner, row.getTimeMs()));
                }
                default -> b.refuse(terminalId, row, RowRefusal.UNKNOWN_ROW_KIND, "row kind " + row.getKindValue()
                        + " is unknown to this center: stored with its MAC, not applied");
            }
            b.status.put(seq, status);
            inBatch.put(seq, new Reversals.Held(row, status));
        }
        return b;
    }

    /**
     * Moves the group's money and records its movements. The accounts are locked first, in
     * account-id order (two transactions touching the same accounts wait for each other, never
     * deadlock); then one statement adds each account's summed change and inserts the movements
     * in the order they were judged, each SALE flagged as an overdraft when, replayed from the
     * account's purses before the group, it took a purse below zero (accepted: the meal was
     * eaten). Returns the accounts whose purses changed; an account the center does not know
     * moves nothing (logged).
     */
    private static Set<Long> moveMoney(Tx tx, Group group) throws SQLException {
        if (group.deltas.isEmpty() && group.movements.isEmpty()) {
            return Set.of();
        }
        Connection c = tx.c();
        Long[] ids = group.deltas.keySet().toArray(new Long[0]);
        Long[] subsidy = new Long[ids.length];
        Long[] cash = new Long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            subsidy[i] = group.deltas.get(ids[i])[0];
            cash[i] = group.deltas.get(ids[i])[1];
        }
        if (ids.length > 0) {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT account_id FROM accounts WHERE account_id = ANY(?) ORDER BY account_id FOR UPDATE")) {
                p.setArray(1, c.createArrayOf("bigint", ids));
                p.executeQuery().close();
            }
        }
        Movement.Columns m = Movement.columns(group.movements, group.epochs);
        Set<Long> moved = new java.util.TreeSet<>();
        try (PreparedStatement p = c.prepareStatement("""
                WITH d AS (SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[]) AS d(id, subsidy, cash)),
                moved AS (
                  UPDATE accounts a SET subsidy_fen = a.subsidy_fen + d.subsidy, cash_fen = a.cash_fen + d.cash
                  FROM d WHERE a.account_id = d.id
                  RETURNING a.account_id, a.subsidy_fen - d.subsidy AS subsidy0, a.cash_fen - d.cash AS cash0),
                m AS (SELECT * FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[],
                  ?::bigint[], ?::text[], ?::int[])
                  WITH ORDINALITY AS m(account_id, kind, seq, subsidy, cash, channel, time_ms, terminal_id, epoch, n)),
                ins AS (
                  INSERT INTO movements(account_id, kind, terminal_id, seq, subsidy_fen, cash_fen, channel, overdraft,
                    time_ms, epoch)
                  SELECT m.account_id, m.kind, m.terminal_id, m.seq, m.subsidy, m.cash, m.channel,
                    COALESCE(m.kind = 'SALE' AND (moved.subsidy0 + SUM(m.subsidy) OVER w < 0
                                                  OR moved.cash0 + SUM(m.cash) OVER w < 0), false),
                    m.time_ms, m.epoch
                  FROM m LEFT JOIN moved ON moved.account_id = m.account_id
                  WINDOW w AS (PARTITION BY m.account_id ORDER BY m.n)
                  ORDER BY m.n)
                SELECT account_id FROM moved""")) {
            p.setArray(1, c.createArrayOf("bigint", ids));
            p.setArray(2, c.createArrayOf("bigint", subsidy));
            p.setArray(3, c.createArrayOf("bigint", cash));
            m.bind(c, p, 4);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    moved.add(r.getLong(1));
                }
            }
        }
        for (Long id : ids) {
            if (!moved.contains(id)) {
                log.warn("account {} is unknown at the center; rows of it are stored, no money moved", id);
            }
        }
        return moved;
    }

    static JournalRow parse(byte[] bytes) {
        try {
            return JournalRow.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new LedgerException("a stored journal row does not parse", e);
        }
    }
}
