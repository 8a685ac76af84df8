package com.onecard.pos.bench.sqlitecenter;

import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.sync.keys.TerminalKeySchedule;
import com.onecard.pos.qr.EmvPayload;
import com.onecard.pos.qr.EmvQrParser;
import com.onecard.pos.qr.QrCrcMismatchException;
import com.onecard.pos.qr.QrFormatException;
import com.onecard.pos.qr.Verification;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.QrPaidNotice;
import com.onecard.pos.pin.PinVerifier;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Scan-to-pay at the center, inside the ledger's transaction and lock. The center is the only
 * judge of a payment code: it charges the amount under the terminal's MAC (never one the app
 * sends), keeps one state per token (created → paid → refunded) so a code pays at most once,
 * and refuses a code whose terminal cancelled it or whose expiry has passed.
 *
 * <p>Late-notice policy: once the center knows of a cancel ({@link Ledger#recordQrCancel}) or
 * the expiry, it refuses (CANCELLED / EXPIRED). A cancel can still cross a payment in flight;
 * the terminal then journals the QR_SALE (informational: the center already charged) and at
 * once a REVERSAL pointing at it, which the center's ingest credits to the cash purse; the
 * token then reads refunded ({@link #markRefunded}).
 */
public final class QrPayments {
    /** Why a code was refused, or OK. */
    public enum Reason {
        OK, BAD_FORMAT, BAD_CRC, BAD_MAC, EXPIRED, REPLAYED, CANCELLED, UNKNOWN_TERMINAL, UNKNOWN_ACCOUNT,
        ACCOUNT_NOT_ACTIVE, BAD_PASSWORD, INSUFFICIENT_FUNDS
    }

    /**
     * Outcome of a payment (or of a look at a code before paying). Fields read from the code are
     * null / -1 when the code could not be read that far; purse fields are 0 unless paid.
     *
     * @param subsidyFen part taken from the subsidy purse (positive)
     * @param cashFen    part taken from the cash purse (positive)
     */
    public record PayResult(Reason reason, String detail, String terminalId, String saleId, String token,
                            String merchantName, long amountFen, Instant expiry, long accountId, String holderName,
                            long subsidyFen, long cashFen, long balanceAfterFen, long paidAtMs) {
        public boolean ok() {
            return reason == Reason.OK;
        }

        static PayResult refused(Reason reason, String detail, Verification v) {
            return v == null
                    ? new PayResult(reason, detail, null, null, null, null, -1, null, 0, null, 0, 0, 0, 0)
                    : new PayResult(reason, detail, v.terminalId(), v.saleId(), v.token(), v.merchantName(),
                    v.amountFen(), v.expiry(), 0, null, 0, 0, 0, 0);
        }
    }

    /** A payment and the notice to push to its terminal after commit (null when refused). */
    record Paid(PayResult result, Downstream notice) {
    }

    private static final CampusQr QR = new CampusQr();

    private QrPayments() {
    }

    /** Checks a code as the app shows it before paying; records the token as created. No charge. */
    static PayResult inspect(Connection db, Clock clock, String payload) throws SQLException {
        Checked c = check(db, clock, payload);
        if (c.refusal != null) {
            return c.refusal;
        }
        try (PreparedStatement p = db.prepareStatement("""
                INSERT OR IGNORE INTO qr_tokens(token, terminal_id, sale_id, amount_fen, merchant_name, state, created_ms)
                VALUES (?, ?, ?, ?, ?, 'created', ?)""")) {
            p.setString(1, c.v.token());
            p.setString(2, c.v.terminalId());
            p.setString(3, c.v.saleId());
            p.setLong(4, c.v.amountFen());
            p.setString(5, c.v.merchantName());
            p.setLong(6, clock.millis());
            p.executeUpdate();
        }
        return PayResult.refused(Reason.OK, "payable", c.v);
    }

    /** Pays a code from an account: token paid, purses debited (subsidy first), notice logged. */
    static Paid pay(Connection db, Clock clock, String payload, long accountId, String payerPassword)
            throws SQLException {
        Checked c = check(db, clock, payload);
        if (c.refusal != null) {
            return new Paid(c.refusal, null);
        }
        Verification v = c.v;
        if (!LedgerReads.accountExists(db, accountId)) {
            return new Paid(PayResult.refused(Reason.UNKNOWN_ACCOUNT, "no account " + accountId, v), null);
        }
        LedgerReads.AccountRow a = LedgerReads.requireAccount(db, accountId);
        if (a.status() != AccountStatus.ACTIVE_VALUE) {
            return new Paid(PayResult.refused(Reason.ACCOUNT_NOT_ACTIVE, "account " + accountId + " is "
                    + AccountStatus.forNumber(a.status()), v), null);
        }
        // A logged-in app pays without the password; when one is given it must be the card's.
        if (payerPassword != null && (a.pinVerifier().isEmpty() || !PinVerifier.matches(a.pinVerifier(), payerPassword))) {
            return new Paid(PayResult.refused(Reason.BAD_PASSWORD, "wrong card password for account " + accountId, v),
                    null);
        }
        long amount = v.amountFen();
        if (a.subsidyFen() + a.cashFen() < amount) {
            return new Paid(PayResult.refused(Reason.INSUFFICIENT_FUNDS, "balance " + (a.subsidyFen() + a.cashFen())
                    + " fen is below " + amount + " fen", v), null);
        }
        long fromSubsidy = Math.min(Math.max(a.subsidyFen(), 0), amount);
        long fromCash = amount - fromSubsidy;
        long now = clock.millis();
        try (PreparedStatement p = db.prepareStatement("""
                UPDATE accounts SET subsidy_fen = subsidy_fen - ?, cash_fen = cash_fen - ?, version = ?
                WHERE account_id = ?""")) {
            p.setLong(1, fromSubsidy);
            p.setLong(2, fromCash);
            p.setLong(3, LedgerIngest.nextVersion(db, Ledger.ACCOUNTS));
            p.setLong(4, accountId);
            p.executeUpdate();
        }
        try (PreparedStatement p = db.prepareStatement("""
                INSERT INTO qr_tokens(token, terminal_id, sale_id, amount_fen, merchant_name, account_id, state,
                  created_ms, paid_ms) VALUES (?, ?, ?, ?, ?, ?, 'paid', ?, ?)
                ON CONFLICT(token) DO UPDATE SET account_id = excluded.account_id, state = 'paid',
                  paid_ms = excluded.paid_ms""")) {
            p.setString(1, v.token());
            p.setString(2, v.terminalId());
            p.setString(3, v.saleId());
            p.setLong(4, amount);
            p.setString(5, v.merchantName());
            p.setLong(6, accountId);
            p.setLong(7, now);
            p.setLong(8, now);
            p.executeUpdate();
        }
        // Not tied to a journal seq (the center decided it), so terminal_id stays null here.
        LedgerIngest.insertMovement(db, new Movement(accountId, "QR", null, 0, -fromSubsidy, -fromCash,
                qrChannel(v.token()), false, now));
        long balanceAfter = a.subsidyFen() + a.cashFen() - amount;
        QrPaidNotice notice = QrPaidNotice.newBuilder().setToken(v.token()).setSaleId(v.saleId())
                .setAccountId(accountId).setHolderName(a.holderName()).setAmountFen(amount)
                .setBalanceAfterFen(balanceAfter).setPaidAtMs(now).build();
        Downstream logged = Ledger.logStream(db, Ledger.QR, v.terminalId(), Downstream.newBuilder().setQrPaid(notice));
        PayResult r = new PayResult(Reason.OK, "paid", v.terminalId(), v.saleId(), v.token(), v.merchantName(), amount,
                v.expiry(), accountId, a.holderName(), fromSubsidy, fromCash, balanceAfter, now);
        return new Paid(r, logged);
    }

    /**
     * Bookkeeping for a REVERSAL of a QR_SALE row, which ingest has already credited to the
     * cash purse as the row says: the token moves from paid to refunded so the bills and a
     * later replay of the code tell the truth. Returns false when the token was not paid.
     */
    static boolean markRefunded(Connection db, String token) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(
                "UPDATE qr_tokens SET state = 'refunded' WHERE token = ? AND state = 'paid'")) {
            p.setString(1, token);
            return p.executeUpdate() == 1;
        }
    }

    static String qrChannel(String token) {
        return "qr:" + token;
    }

    private record Checked(Verification v, PayResult refusal) {
    }

    private static Checked check(Connection db, Clock clock, String payload) throws SQLException {
        if (payload == null || payload.isBlank()) {
            return new Checked(null, PayResult.refused(Reason.BAD_FORMAT, "payload is empty", null));
        }
        EmvPayload parsed;
        try {
            parsed = EmvQrParser.parse(payload);
        } catch (QrCrcMismatchException e) {
            return new Checked(null, PayResult.refused(Reason.BAD_CRC, e.getMessage(), null));
        } catch (QrFormatException e) {
            return new Checked(null, PayResult.refused(Reason.BAD_FORMAT, e.getMessage(), null));
        }
        // The key that checks the MAC depends on the terminal named inside the code.
        Optional<String> terminalId = parsed.get("26", "02");
        if (terminalId.isEmpty()) {
            return new Checked(null, PayResult.refused(Reason.BAD_FORMAT, "terminal id 26/02 missing", null));
        }
        byte[] secret = activeSecret(db, terminalId.get());
        if (secret == null) {
            return new Checked(null, PayResult.refused(Reason.UNKNOWN_TERMINAL,
                    "terminal " + terminalId.get() + " is unknown or revoked", null));
        }
        // the terminal's QR key, derived from its secret as its token holds it
        Verification v = QR.verify(payload, TerminalKeySchedule.qrKey(secret, terminalId.get()), clock.instant());
        switch (v.result()) {
            case BAD_FORMAT -> {
                return new Checked(v, PayResult.refused(Reason.BAD_FORMAT, v.detail(), v));
            }
            case BAD_CRC -> {
                return new Checked(v, PayResult.refused(Reason.BAD_CRC, v.detail(), v));
            }
            case BAD_MAC -> {
                return new Checked(v, PayResult.refused(Reason.BAD_MAC, v.detail(), v));
            }
            default -> {
                // OK or EXPIRED: the code is genuine, so its token's history decides first.
            }
        }
        String state = tokenState(db, v.token());
        if ("paid".equals(state) || "refunded".equals(state)) {
            return new Checked(v, PayResult.refused(Reason.REPLAYED, "token of sale " + v.saleId() + " already paid", v));
        }
        if (cancelled(db, v.token())) {
            return new Checked(v, PayResult.refused(Reason.CANCELLED,
                    "terminal " + v.terminalId() + " cancelled sale " + v.saleId(), v));
        }
        if (v.result() == Verification.Result.EXPIRED) {
            return new Checked(v, PayResult.refused(Reason.EXPIRED, v.detail(), v));
        }
        return new Checked(v, null);
    }

    private static byte[] activeSecret(Connection db, String terminalId) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT secret, revoked FROM terminals WHERE id = ?")) {
            p.setString(1, terminalId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() && r.getInt(2) == 0 ? r.getBytes(1) : null;
            }
        }
    }

    private static String tokenState(Connection db, String token) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT state FROM qr_tokens WHERE token = ?")) {
            p.setString(1, token);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private static boolean cancelled(Connection db, String token) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT 1 FROM qr_cancels WHERE token = ?")) {
            p.setString(1, token);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }
}
