package com.onecard.pos.center.ledger;

import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.sync.keys.TerminalKeySchedule;
import com.onecard.pos.qr.EmvPayload;
import com.onecard.pos.qr.EmvQrParser;
import com.onecard.pos.qr.QrCrcMismatchException;
import com.onecard.pos.qr.QrFormatException;
import com.onecard.pos.qr.Verification;
import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.pin.PinVerifier;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.QrPaidNotice;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Scan-to-pay at the center. The center is the only
 * judge of a payment code: it charges the amount under the terminal's MAC (never one the app
 * sends), keeps one state per token (created → paid → refunded) so a code pays at most once,
 * and refuses a code whose terminal cancelled it or whose expiry has passed.
 *
 * <p>Late-notice policy: once the center knows of a cancel ({@link #recordCancel}) or
 * the expiry, it refuses (CANCELLED / EXPIRED). A cancel can still cross a payment in flight;
 * the terminal then journals the QR_SALE (informational: the center already charged) and at
 * once a REVERSAL pointing at it, which the center's ingest credits to the cash purse; the
 * token then reads refunded ({@link #markRefunded}).
 *
 * <p>A payment first locks the token's row ({@code FOR UPDATE}, recording it as created when new), so
 * two payments of one code run one after the other and the second is refused REPLAYED; only a
 * created token ever becomes paid. It then locks the payer's account row before it reads the
 * purses and the account's live holds, so two payments (or a payment and an online
 * authorization) never both spend the last yuan, and money held for a card sale is not spent.
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
     * @param subsidyFen    part taken from the subsidy purse (positive)
     * @param cashFen       part taken from the cash purse (positive)
     * @param terminalClock the issuing terminal's clock as the center last measured it (its
     *                      expiry was judged on it), or null when not known
     */
    public record PayResult(Reason reason, String detail, String terminalId, String saleId, String token,
                            String merchantName, long amountFen, Instant expiry, long accountId, String holderName,
                            long subsidyFen, long cashFen, long balanceAfterFen, long paidAtMs,
                            TerminalRegistry.TerminalClock terminalClock) {
        public boolean ok() {
            return reason == Reason.OK;
        }

        static PayResult refused(Reason reason, String detail, Verification v) {
            return refused(reason, detail, v, null);
        }

        static PayResult refused(Reason reason, String detail, Verification v, TerminalRegistry.TerminalClock clock) {
            return v == null
                    ? new PayResult(reason, detail, null, null, null, null, -1, null, 0, null, 0, 0, 0, 0, clock)
                    : new PayResult(reason, detail, v.terminalId(), v.saleId(), v.token(), v.merchantName(),
                    v.amountFen(), v.expiry(), 0, null, 0, 0, 0, 0, clock);
        }

        /** Seconds the code stays payable, on the terminal's clock when known (else the center's); 0 when expired. */
        public long secondsLeft(long centerNowMs) {
            if (expiry == null) {
                return 0;
            }
            long now = terminalClock == null ? centerNowMs : terminalClock.terminalTime(centerNowMs);
            return Math.max(0, (expiry.toEpochMilli() - now) / 1000);
        }
    }

    private static final CampusQr QR = new CampusQr();

    private final UnitOfWork uow;
    private final Clock clock;

    public QrPayments(UnitOfWork uow, Clock clock) {
        this.uow = uow;
        this.clock = clock;
    }

    /**
     * Pays a campus payment code from an account, in one transaction: the token is recorded
     * paid, the amount under the terminal's MAC is debited (subsidy first, then cash) as a QR
     * movement and a QrPaidNotice is logged on the "qr" stream of that terminal; after commit
     * the notice goes to that terminal only and the new balance to the terminals.
     *
     * @param payerPassword the card password, or null when the app is logged in and needs none
     */
    public PayResult pay(String payload, long accountId, String payerPassword) {
        return uow.run("paying a QR code from account " + accountId, tx -> pay(tx, payload, accountId, payerPassword));
    }

    /** What the app shows before paying: the code's fields and whether it is payable (OK). No charge. */
    public PayResult inspect(String payload) {
        return uow.run("inspecting a QR code", tx -> inspect(tx, payload));
    }

    /** The terminal's cashier abandoned a QR sale: its token is refused from now on. */
    public void recordCancel(String terminalId, String token, String saleId) {
        uow.run("recording QR cancel from " + terminalId, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO qr_cancels(token, sale_id, terminal_id, time_ms) VALUES (?, ?, ?, ?)
                    ON CONFLICT (token) DO NOTHING""")) {
                p.setString(1, token);
                p.setString(2, saleId);
                p.setString(3, terminalId);
                p.setLong(4, clock.millis());
                p.executeUpdate();
            }
            return null;
        });
    }

    public boolean cancelled(String token) {
        return uow.read("reading QR cancel", tx -> cancelled(tx, token));
    }

    /** Checks a code as the app shows it before paying; records the token as created. No charge. */
    private PayResult inspect(Tx db, String payload) throws SQLException {
        Checked c = check(db, clock, payload, false);
        if (c.refusal != null) {
            return c.refusal;
        }
        try (PreparedStatement p = db.c().prepareStatement("""
                INSERT INTO qr_tokens(token, terminal_id, sale_id, amount_fen, merchant_name, state, created_ms)
                VALUES (?, ?, ?, ?, ?, 'created', ?) ON CONFLICT (token) DO NOTHING""")) {
            p.setString(1, c.v.token());
            p.setString(2, c.v.terminalId());
            p.setString(3, c.v.saleId());
            p.setLong(4, c.v.amountFen());
            p.setString(5, c.v.merchantName());
            p.setLong(6, clock.millis());
            p.executeUpdate();
        }
        return PayResult.refused(Reason.OK, "payable", c.v, c.terminalClock);
    }

    /** Pays a code from an account: token paid, purses debited (subsidy first), notice logged. */
    private PayResult pay(Tx db, String payload, long accountId, String payerPassword) throws SQLException {
        // lock = true: the token's row is locked before its state is read, so two payments of one
        // code (a double tap, two phones on one screen) run one after the other and the second
        // sees "paid" (READ COMMITTED reads the row as the first committed it).
        Checked c = check(db, clock, payload, true);
        if (c.refusal != null) {
            return c.refusal;
        }
        Verification v = c.v;
        Optional<AccountRow> found = AccountRow.find(db, accountId, true);
        if (found.isEmpty()) {
            return PayResult.refused(Reason.UNKNOWN_ACCOUNT, "no account " + accountId, v);
        }
        AccountRow a = found.get();
        if (a.status() != AccountStatus.ACTIVE_VALUE) {
            return PayResult.refused(Reason.ACCOUNT_NOT_ACTIVE, "account " + accountId + " is "
                    + AccountStatus.forNumber(a.status()), v);
        }
        // A logged-in app pays without the password; when one is given it must be the card's.
        if (payerPassword != null && (a.pinVerifier().isEmpty() || !PinVerifier.matches(a.pinVerifier(), payerPassword))) {
            return PayResult.refused(Reason.BAD_PASSWORD, "wrong card password for account " + accountId, v);
        }
        long amount = v.amountFen();
        long now = clock.millis();
        // Money held for online authorizations is spoken for, as OnlineAuthorization counts it
        // (the account row is locked above, so no hold can be placed between this read and the debit).
        long heldFen = Holds.standing(db, accountId, "", now).othersFen();
        if (a.subsidyFen() + a.cashFen() - heldFen < amount) {
            return PayResult.refused(Reason.INSUFFICIENT_FUNDS, "balance " + (a.subsidyFen() + a.cashFen())
                    + " fen" + (heldFen == 0 ? "" : " less " + heldFen + " fen held for card sales")
                    + " is below " + amount + " fen", v);
        }
        // The token row is locked (check) and was created or still is: only 'created' ever becomes 'paid'.
        try (PreparedStatement p = db.c().prepareStatement("""
                UPDATE qr_tokens SET account_id = ?, state = 'paid', paid_ms = ?
                WHERE token = ? AND state = 'created'""")) {
            p.setLong(1, accountId);
            p.setLong(2, now);
            p.setString(3, v.token());
            if (p.executeUpdate() != 1) {
                return PayResult.refused(Reason.REPLAYED, "token of sale " + v.saleId() + " already paid", v);
            }
        }
        long fromSubsidy = Math.min(Math.max(a.subsidyFen(), 0), amount);
        long fromCash = amount - fromSubsidy;
        try (PreparedStatement p = db.c().prepareStatement(
                "UPDATE accounts SET subsidy_fen = subsidy_fen - ?, cash_fen = cash_fen - ? WHERE account_id = ?")) {
            p.setLong(1, fromSubsidy);
            p.setLong(2, fromCash);
            p.setLong(3, accountId);
            p.executeUpdate();
        }
        db.accountChanged(accountId);
        // Not tied to a journal seq (the center decided it), so terminal_id stays null here.
        Movement.insert(db.c(), new Movement(accountId, "QR", null, 0, -fromSubsidy, -fromCash,
                qrChannel(v.token()), false, now));
        long balanceAfter = a.subsidyFen() + a.cashFen() - amount;
        QrPaidNotice notice = QrPaidNotice.newBuilder().setToken(v.token()).setSaleId(v.saleId())
                .setAccountId(accountId).setHolderName(a.holderName()).setAmountFen(amount)
                .setBalanceAfterFen(balanceAfter).setPaidAtMs(now).build();
        db.append(Streams.QR, v.terminalId(), Downstream.newBuilder().setQrPaid(notice));
        return new PayResult(Reason.OK, "paid", v.terminalId(), v.saleId(), v.token(), v.merchantName(), amount,
                v.expiry(), accountId, a.holderName(), fromSubsidy, fromCash, balanceAfter, now, c.terminalClock);
    }

    /**
     * Bookkeeping for a REVERSAL of a QR_SALE row, which ingest has already credited to the
     * cash purse as the row says: the token moves from paid to refunded so the bills and a
     * later replay of the code tell the truth. Returns false when the token was not paid.
     */
    static boolean markRefunded(Tx db, String token) throws SQLException {
        try (PreparedStatement p = db.c().prepareStatement(
                "UPDATE qr_tokens SET state = 'refunded' WHERE token = ? AND state = 'paid'")) {
            p.setString(1, token);
            return p.executeUpdate() == 1;
        }
    }

    /**
     * Judges an uploaded QR_SALE row: it stands only for a payment the center made, so its token
     * must be in qr_tokens, paid, issued by this terminal for this sale and amount, and paid from
     * the row's account. Returns null when it does, else why not (the row is then refused
     * QR_SALE_NOT_PAID: a forged row must not make a later REVERSAL of it credit money).
     */
    static String unpaidReason(Tx db, String terminalId, JournalRow row) throws SQLException {
        try (PreparedStatement p = db.c().prepareStatement(
                "SELECT terminal_id, sale_id, amount_fen, account_id, state FROM qr_tokens WHERE token = ?")) {
            p.setString(1, row.getQrToken());
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return "QR token of sale " + row.getSaleId() + " was never paid at the center";
                }
                if (!"paid".equals(r.getString(5))) {
                    return "QR token of sale " + row.getSaleId() + " is " + r.getString(5) + " at the center, not paid";
                }
                String what = "QR token of sale " + row.getSaleId() + " was paid ";
                if (!terminalId.equals(r.getString(1)) || !row.getSaleId().equals(r.getString(2))) {
                    return what + "for terminal " + r.getString(1) + " sale " + r.getString(2);
                }
                if (r.getLong(3) != row.getAmountFen()) {
                    return what + r.getLong(3) + " fen, the row says " + row.getAmountFen();
                }
                if (r.getLong(4) != row.getAccountId()) {
                    return what + "from account " + r.getLong(4) + ", the row says " + row.getAccountId();
                }
                return null;
            }
        }
    }

    static String qrChannel(String token) {
        return "qr:" + token;
    }

    private record Checked(Verification v, PayResult refusal, TerminalRegistry.TerminalClock terminalClock) {
        Checked(Verification v, PayResult refusal) {
            this(v, refusal, null);
        }
    }

    /** A terminal's clock counts when measured within this: beyond it the center's own clock judges. */
    static final long CLOCK_FRESH_MS = 10 * 60_000L;

    /**
     * Reads and judges a code. With {@code lock}, the token's row is first recorded as created
     * (when new) and locked {@code FOR UPDATE} in this transaction before its state is read, so a
     * payment that gets past this check holds the token until it commits.
     */
    private static Checked check(Tx db, Clock clock, String payload, boolean lock) throws SQLException {
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
        byte[] secret = TerminalRegistry.activeSecret(db, terminalId.get());
        if (secret == null) {
            return new Checked(null, PayResult.refused(Reason.UNKNOWN_TERMINAL,
                    "terminal " + terminalId.get() + " is unknown or revoked", null));
        }
        // every expiry is judged on one clock: the terminal's, which set it and counts it down on its
        // screen; the center knows how far off that clock is (Hello and heartbeats)
        TerminalRegistry.TerminalClock tclock = TerminalRegistry.clock(db, terminalId.get());
        long centerNow = clock.millis();
        if (tclock != null && centerNow - tclock.seenMs() > CLOCK_FRESH_MS) {
            tclock = null;
        }
        Instant judgeAt = tclock == null ? Instant.ofEpochMilli(centerNow) : Instant.ofEpochMilli(tclock.terminalTime(centerNow));
        // the terminal's QR key, derived from its secret as its key token holds it
        Verification v = QR.verify(payload, TerminalKeySchedule.qrKey(secret, terminalId.get()), judgeAt);
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
        String state = lock ? lockToken(db, v, centerNow) : tokenState(db, v.token());
        if ("paid".equals(state) || "refunded".equals(state)) {
            return new Checked(v, PayResult.refused(Reason.REPLAYED, "token of sale " + v.saleId() + " already paid", v));
        }
        if (cancelled(db, v.token())) {
            return new Checked(v, PayResult.refused(Reason.CANCELLED,
                    "terminal " + v.terminalId() + " cancelled sale " + v.saleId(), v));
        }
        if (v.result() == Verification.Result.EXPIRED) {
            return new Checked(v, PayResult.refused(Reason.EXPIRED, v.detail()
                    + (tclock == null ? "" : " (terminal clock " + (tclock.offsetMs() >= 0 ? "behind" : "ahead") + " by "
                    + Math.abs(tclock.offsetMs()) / 1000 + " s, judged on it)"), v, tclock), tclock);
        }
        return new Checked(v, null, tclock);
    }

    /** Records the token as created unless known, then locks its row; returns its state. */
    private static String lockToken(Tx db, Verification v, long nowMs) throws SQLException {
        try (PreparedStatement p = db.c().prepareStatement("""
                INSERT INTO qr_tokens(token, terminal_id, sale_id, amount_fen, merchant_name, state, created_ms)
                VALUES (?, ?, ?, ?, ?, 'created', ?) ON CONFLICT (token) DO NOTHING""")) {
            p.setString(1, v.token());
            p.setString(2, v.terminalId());
            p.setString(3, v.saleId());
            p.setLong(4, v.amountFen());
            p.setString(5, v.merchantName());
            p.setLong(6, nowMs);
            p.executeUpdate();
        }
        try (PreparedStatement p = db.c().prepareStatement("SELECT state FROM qr_tokens WHERE token = ? FOR UPDATE")) {
            p.setString(1, v.token());
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private static String tokenState(Tx db, String token) throws SQLException {
        try (PreparedStatement p = db.c().prepareStatement("SELECT state FROM qr_tokens WHERE token = ?")) {
            p.setString(1, token);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private static boolean cancelled(Tx db, String token) throws SQLException {
        try (PreparedStatement p = db.c().prepareStatement("SELECT 1 FROM qr_cancels WHERE token = ?")) {
            p.setString(1, token);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }
}
