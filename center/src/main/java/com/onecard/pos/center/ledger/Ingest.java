package com.onecard.pos.center.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import com.onecard.pos.center.db.LedgerException;
import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.sync.proto.UploadError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Store-and-forward ingest: a terminal's journal rows applied idempotently on (terminal, seq),
 * the MAC chain checked row by row against the last applied row's mac, money moved exactly as
 * the row says (the terminal decided the sale; the center records what happened). One batch is
 * one transaction: all of its new rows or none.
 *
 * <p>The terminal's row is locked ({@code FOR UPDATE}) first, so two sessions of one terminal,
 * on one instance or on two, apply its batches one after the other: the database serializes a
 * terminal's ingest, not a JVM monitor. Accounts are then changed in account-id order, one
 * update per account per batch, so two terminals' batches never deadlock on accounts.
 */
public final class Ingest {
    private static final Logger log = LoggerFactory.getLogger(Ingest.class);

    private final UnitOfWork uow;
    private final Clock clock;

    public Ingest(UnitOfWork uow, Clock clock) {
        this.uow = uow;
        this.clock = clock;
    }

    /** Applies a batch; see the class comment. A rejected batch changes nothing. */
    public IngestResult ingest(String terminalId, List<JournalRow> rows) {
        return uow.run("ingesting " + rows.size() + " rows of terminal " + terminalId, tx -> run(tx, terminalId, rows));
    }

    /** Every applied row of the terminal in seq order. */
    public List<JournalRow> appliedRows(String terminalId) {
        return uow.read("reading journal of " + terminalId, tx -> {
            List<JournalRow> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement(
                    "SELECT row FROM journal WHERE terminal_id = ? ORDER BY seq")) {
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

    private IngestResult run(Tx tx, String terminalId, List<JournalRow> rows) throws SQLException {
        byte[] secret;
        long watermark;
        byte[] lastMac;
        try (PreparedStatement p = tx.c().prepareStatement(
                "SELECT secret, applied_seq, last_mac, revoked FROM terminals WHERE id = ? FOR UPDATE")) {
            p.setString(1, terminalId);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next() || r.getBoolean(4)) {
                    tx.rollbackOnly();
                    return IngestResult.rejected(0, UploadError.Code.MALFORMED, 0, 0,
                            "terminal " + terminalId + " may not upload");
                }
                secret = r.getBytes(1);
                watermark = r.getLong(2);
                lastMac = r.getBytes(3);
            }
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
                tx.rollbackOnly();
                return IngestResult.rejected(start, UploadError.Code.GAP, watermark + 1, seq,
                        "expected seq " + (watermark + 1) + " but got " + seq);
            }
            if (!mac.verify(lastMac, row)) {
                tx.rollbackOnly();
                return IngestResult.rejected(start, UploadError.Code.BAD_MAC, watermark + 1, seq,
                        "MAC chain broken at seq " + seq);
            }
            String malformed = validate(row);
            if (malformed != null) {
                tx.rollbackOnly();
                return IngestResult.rejected(start, UploadError.Code.MALFORMED, watermark + 1, seq,
                        malformed + " at seq " + seq);
            }
            fresh.add(row);
            watermark = seq;
            lastMac = row.getMac().toByteArray();
        }
        if (fresh.isEmpty()) {
            return new IngestResult(watermark, null, Set.of());
        }
        storeRows(tx, terminalId, fresh);
        Set<Long> changed = apply(tx, terminalId, fresh);
        try (PreparedStatement p = tx.c().prepareStatement(
                "UPDATE terminals SET applied_seq = ?, last_mac = ? WHERE id = ?")) {
            p.setLong(1, watermark);
            p.setBytes(2, lastMac);
            p.setString(3, terminalId);
            p.executeUpdate();
        }
        return new IngestResult(watermark, null, changed);
    }

    private static String validate(JournalRow row) {
        return switch (row.getKind()) {
            case SALE, REVERSAL -> row.getSubsidyFen() < 0 || row.getCashFen() < 0
                    ? "negative purse part"
                    : row.getSubsidyFen() + row.getCashFen() != row.getAmountFen()
                    ? "subsidy_fen + cash_fen != amount_fen" : null;
            case QR_SALE, LOST_CARD_SIGHTING -> null;
            default -> "unknown row kind " + row.getKindValue();
        };
    }

    private static void storeRows(Tx tx, String terminalId, List<JournalRow> rows) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement("INSERT INTO journal(terminal_id, seq, row) VALUES (?, ?, ?)")) {
            for (JournalRow row : rows) {
                p.setString(1, terminalId);
                p.setLong(2, row.getSeq());
                p.setBytes(3, row.toByteArray());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** A purse change waiting for its account's balance, to know whether it overdrew. */
    private record Pending(JournalRow row, Movement movement) {
    }

    private Set<Long> apply(Tx tx, String terminalId, List<JournalRow> rows) throws SQLException {
        Map<Long, long[]> deltas = new TreeMap<>();
        List<Pending> pending = new ArrayList<>();
        List<Movement> movements = new ArrayList<>();
        for (JournalRow row : rows) {
            long accountId = row.getAccountId();
            switch (row.getKind()) {
                case SALE -> {
                    add(deltas, accountId, -row.getSubsidyFen(), -row.getCashFen());
                    pending.add(new Pending(row, new Movement(accountId, "SALE", terminalId, row.getSeq(),
                            -row.getSubsidyFen(), -row.getCashFen(), row.getMode().name(), false, row.getTimeMs())));
                }
                case REVERSAL -> {
                    add(deltas, accountId, row.getSubsidyFen(), row.getCashFen());
                    pending.add(new Pending(row, new Movement(accountId, "REVERSAL", terminalId, row.getSeq(),
                            row.getSubsidyFen(), row.getCashFen(), "reverses:" + row.getReversesSeq(), false,
                            row.getTimeMs())));
                    markQrRefund(tx, terminalId, row);
                }
                case QR_SALE -> movements.add(new Movement(accountId, "QR_SALE", terminalId, row.getSeq(), 0, 0,
                        "qr:" + row.getQrToken(), false, row.getTimeMs()));
                case LOST_CARD_SIGHTING -> {
                    long owner = accountId;
                    if (owner == 0) {
                        Long holder = AccountRow.accountOfCard(tx, row.getCardUid().toByteArray());
                        owner = holder == null ? 0 : holder;
                    }
                    movements.add(new Movement(owner, "SIGHTING", terminalId, row.getSeq(), 0, 0, "sighting", false,
                            row.getTimeMs()));
                    Messages.insert(tx, owner, Messages.sightingText(terminalId, row.getTimeMs()), clock.millis());
                }
                default -> throw new IllegalStateException("validated kind " + row.getKind());
            }
        }
        Map<Long, long[]> running = new TreeMap<>();
        try (PreparedStatement p = tx.c().prepareStatement("""
                UPDATE accounts SET subsidy_fen = subsidy_fen + ?, cash_fen = cash_fen + ?
                WHERE account_id = ? RETURNING subsidy_fen, cash_fen""")) {
            for (Map.Entry<Long, long[]> d : deltas.entrySet()) {
                p.setLong(1, d.getValue()[0]);
                p.setLong(2, d.getValue()[1]);
                p.setLong(3, d.getKey());
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        running.put(d.getKey(), new long[] {r.getLong(1) - d.getValue()[0], r.getLong(2) - d.getValue()[1]});
                        tx.accountChanged(d.getKey());
                    }
                }
            }
        }
        for (Pending pm : pending) {
            Movement m = pm.movement();
            long[] b = running.get(m.accountId());
            boolean overdraft = false;
            if (b != null) {
                b[0] += m.subsidyFen();
                b[1] += m.cashFen();
                overdraft = m.kind().equals("SALE") && (b[0] < 0 || b[1] < 0);
            } else {
                log.warn("terminal {} seq {}: account {} is unknown at the center", terminalId, m.seq(), m.accountId());
            }
            movements.add(overdraft ? new Movement(m.accountId(), m.kind(), m.terminalId(), m.seq(), m.subsidyFen(),
                    m.cashFen(), m.channel(), true, m.timeMs()) : m);
        }
        try (PreparedStatement p = tx.c().prepareStatement(Movement.SQL)) {
            for (Movement m : movements) {
                Movement.bind(p, m);
                p.addBatch();
            }
            p.executeBatch();
        }
        return Set.copyOf(tx.changedAccounts());
    }

    private static void add(Map<Long, long[]> deltas, long accountId, long subsidy, long cash) {
        long[] d = deltas.computeIfAbsent(accountId, k -> new long[2]);
        d[0] += subsidy;
        d[1] += cash;
    }

    /**
     * A REVERSAL pointing at a QR_SALE is the terminal giving back a payment that crossed its
     * cancel or expiry; it is credited to the cash purse as the row says, and the token becomes
     * refunded, in the same transaction.
     */
    private static void markQrRefund(Tx tx, String terminalId, JournalRow reversal) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement("SELECT row FROM journal WHERE terminal_id = ? AND seq = ?")) {
            p.setString(1, terminalId);
            p.setLong(2, reversal.getReversesSeq());
            try (ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    JournalRow reversed = parse(r.getBytes(1));
                    if (reversed.getKind() == RowKind.QR_SALE && !QrPayments.markRefunded(tx, reversed.getQrToken())) {
                        log.warn("terminal {} seq {} refunds QR token of sale {} that the center had not paid",
                                terminalId, reversal.getSeq(), reversed.getSaleId());
                    }
                }
            }
        }
    }

    static JournalRow parse(byte[] bytes) {
        try {
            return JournalRow.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new LedgerException("a stored journal row does not parse", e);
        }
    }
}
