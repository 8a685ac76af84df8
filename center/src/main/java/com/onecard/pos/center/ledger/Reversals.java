package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.Tx;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.sync.proto.RowRefusal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The rules a REVERSAL row must pass before it credits anything: it names a SALE, QR_SALE or
 * PAYCODE_SALE of the same terminal that the center applied (a payment-code sale the center
 * refused moved nothing and cannot be reversed), of the same account, amount and purse split (a
 * QR refund may instead give the whole amount back to cash, as protocol §10 says), not reversed
 * before, and at most the reversal window after the sale. A sale is identified by its MAC, so
 * "reversed before" holds across re-seats of the terminal.
 */
final class Reversals {
    /** Why a reversal is refused; null code = allowed. */
    record Verdict(RowRefusal code, String message, JournalRow reversed) {
        boolean allowed() {
            return code == null;
        }
    }

    /** A row of the batch being ingested, with the status it was given there. */
    record Held(JournalRow row, String status) {
    }

    /** The rows a REVERSAL may name: the sales that moved money at the center when applied (or were paid by QR). */
    private static final Set<RowKind> REVERSIBLE = EnumSet.of(RowKind.SALE, RowKind.QR_SALE, RowKind.PAYCODE_SALE);

    private final Duration window;

    Reversals(Duration window) {
        this.window = window;
    }

    /**
     * @param batch rows of the batch being ingested (not stored yet) that came before this one, as
     *              judged; a reversed seq not among them is looked up in the terminal's stored journal
     */
    Verdict judge(Tx tx, String terminalId, int epoch, JournalRow reversal, Map<Long, Held> batch)
            throws SQLException {
        JournalRow sale = null;
        String status = null;
        Held inBatch = batch.get(reversal.getReversesSeq());
        if (inBatch != null) {
            sale = inBatch.row();
            status = inBatch.status();
        } else {
            try (PreparedStatement p = tx.c().prepareStatement(
                    "SELECT row, status FROM journal WHERE terminal_id = ? AND epoch = ? AND seq = ?")) {
                p.setString(1, terminalId);
                p.setInt(2, epoch);
                p.setLong(3, reversal.getReversesSeq());
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        sale = Ingest.parse(r.getBytes(1));
                        status = r.getString(2);
                    }
                }
            }
        }
        long rs = reversal.getReversesSeq();
        if (sale == null || rs >= reversal.getSeq()) {
            return refuse(RowRefusal.REVERSAL_NO_SUCH_SALE, "reverses seq " + rs + ", which this terminal never journaled"
                    + " before it", null);
        }
        boolean applied = "APPLIED".equals(status) || "CARRIED".equals(status);
        if (!applied || !REVERSIBLE.contains(sale.getKind())) {
            return refuse(RowRefusal.REVERSAL_NO_SUCH_SALE, "reverses seq " + rs + ", a " + sale.getKind() + " row ("
                    + status + "), not an applied sale", sale);
        }
        if (sale.getAccountId() != reversal.getAccountId()) {
            return refuse(RowRefusal.REVERSAL_MISMATCH, "reverses seq " + rs + " of account " + sale.getAccountId()
                    + " but names account " + reversal.getAccountId(), sale);
        }
        // Equal parts mean an equal amount too: ingest has checked subsidy_fen + cash_fen = amount_fen.
        boolean sameSplit = sale.getSubsidyFen() == reversal.getSubsidyFen() && sale.getCashFen() == reversal.getCashFen();
        boolean qrRefundToCash = sale.getKind() == RowKind.QR_SALE && reversal.getSubsidyFen() == 0
                && reversal.getCashFen() == sale.getAmountFen();
        if (!sameSplit && !qrRefundToCash) {
            return refuse(RowRefusal.REVERSAL_MISMATCH, "splits " + reversal.getSubsidyFen() + "/" + reversal.getCashFen()
                    + " fen (subsidy/cash) but seq " + rs + " took " + sale.getSubsidyFen() + "/" + sale.getCashFen(),
                    sale);
        }
        long age = reversal.getTimeMs() - sale.getTimeMs();
        if (age < 0 || age > window.toMillis()) {
            return refuse(RowRefusal.REVERSAL_TOO_LATE, "comes " + Duration.ofMillis(age) + " after seq " + rs
                    + "; the window is " + window, sale);
        }
        try (PreparedStatement p = tx.c().prepareStatement("""
                INSERT INTO reversals(terminal_id, epoch, reversed_seq, reversal_seq, reversed_mac) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (reversed_mac) DO NOTHING""")) {
            p.setString(1, terminalId);
            p.setInt(2, epoch);
            p.setLong(3, rs);
            p.setLong(4, reversal.getSeq());
            p.setBytes(5, sale.getMac().toByteArray());
            if (p.executeUpdate() == 0) {
                return refuse(RowRefusal.REVERSAL_ALREADY_REVERSED, "reverses seq " + rs + ", which was reversed before",
                        sale);
            }
        }
        // A QR sale's money was taken by the center's payment: it goes back only while the token
        // is paid, and the token is refunded in the same transaction (never twice, never unpaid).
        if (sale.getKind() == RowKind.QR_SALE && !QrPayments.markRefunded(tx, sale.getQrToken())) {
            try (PreparedStatement p = tx.c().prepareStatement("DELETE FROM reversals WHERE reversed_mac = ?")) {
                p.setBytes(1, sale.getMac().toByteArray());
                p.executeUpdate();
            }
            return refuse(RowRefusal.QR_SALE_NOT_PAID, "reverses seq " + rs + ", a QR sale whose token the center"
                    + " does not hold as paid (refunded before, or never paid)", sale);
        }
        return new Verdict(null, null, sale);
    }

    private static Verdict refuse(RowRefusal code, String message, JournalRow sale) {
        return new Verdict(code, message, sale);
    }
}
