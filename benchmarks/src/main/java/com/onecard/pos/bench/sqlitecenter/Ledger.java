package com.onecard.pos.bench.sqlitecenter;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;
import com.onecard.pos.sync.proto.BlacklistEntry;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.sync.proto.ScreenMessage;
import com.onecard.pos.sync.proto.UploadError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The campus card center's books in one SQLite file (WAL, synchronous=FULL). Every method
 * is one transaction and holds the ledger's lock, so subscribers see changes in commit
 * order and a replay on connect never races a live push.
 *
 * <p>Streams: "accounts" and "blacklist" are latest-state-per-key (a terminal's cursor
 * selects every key changed after it); "messages", "qr" and "config" are append-only logs.
 */
public final class Ledger implements AutoCloseable {
    public static final String ACCOUNTS = "accounts";
    public static final String BLACKLIST = "blacklist";
    public static final String MESSAGES = "messages";
    public static final String QR = "qr";
    public static final String CONFIG = "config";
    private static final Logger log = LoggerFactory.getLogger(Ledger.class);

    /** Known terminal state: absent, revoked or allowed. */
    public enum TerminalState { UNKNOWN, REVOKED, ACTIVE }

    private final Connection db;
    private final Clock clock;
    private final List<TerminalSubscriber> subscribers = new CopyOnWriteArrayList<>();

    private Ledger(Connection db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public static Ledger open(Path file, Clock clock) {
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            LedgerSchema.create(c);
            c.setAutoCommit(false);
            return new Ledger(c, clock);
        } catch (SQLException e) {
            throw new LedgerException("opening ledger " + file, e);
        }
    }

    public static Ledger open(Path file) {
        return open(file, Clock.systemUTC());
    }

    // ---- administration -------------------------------------------------------------------

    public synchronized void registerTerminal(String id, byte[] secret) {
        tx("registering terminal " + id, () -> {
            try (PreparedStatement p = db.prepareStatement("""
                    INSERT INTO terminals(id, secret, revoked, applied_seq, last_mac) VALUES (?, ?, 0, 0, ?)
                    ON CONFLICT(id) DO UPDATE SET secret = excluded.secret, revoked = 0""")) {
                p.setString(1, id);
                p.setBytes(2, secret);
                p.setBytes(3, JournalMac.genesis());
                p.executeUpdate();
            }
            return null;
        });
    }

    public synchronized void revokeTerminal(String id) {
        tx("revoking terminal " + id, () -> {
            try (PreparedStatement p = db.prepareStatement("UPDATE terminals SET revoked = 1 WHERE id = ?")) {
                p.setString(1, id);
                p.executeUpdate();
            }
            return null;
        });
    }

    public synchronized TerminalState terminalState(String id) {
        return tx("reading terminal " + id, () -> {
            try (PreparedStatement p = db.prepareStatement("SELECT revoked FROM terminals WHERE id = ?")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        return TerminalState.UNKNOWN;
                    }
                    return r.getInt(1) != 0 ? TerminalState.REVOKED : TerminalState.ACTIVE;
                }
            }
        });
    }

    public synchronized void openAccount(long accountId, byte[] cardUid, long cardSerial, String holderName,
                                         long subsidyFen, long cashFen, String pinVerifier, int expiresDay) {
        openAccount(accountId, cardUid, cardSerial, holderName, subsidyFen, cashFen, pinVerifier, expiresDay, new byte[0]);
    }

    /**
     * @param v1Ticket the issuer's ticket of a layout-1 card (22 bytes), empty for a layout-2 card;
     *                 sent to terminals with the account (docs/card-layout.md)
     */
    public synchronized void openAccount(long accountId, byte[] cardUid, long cardSerial, String holderName,
                                         long subsidyFen, long cashFen, String pinVerifier, int expiresDay, byte[] v1Ticket) {
        tx("opening account " + accountId, () -> {
            long version = nextVersion(ACCOUNTS);
            try (PreparedStatement p = db.prepareStatement("""
                    INSERT INTO accounts(account_id, holder_name, status, subsidy_fen, cash_fen, version, pin_verifier,
                      expires_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                p.setLong(1, accountId);
                p.setString(2, holderName);
                p.setInt(3, AccountStatus.ACTIVE_VALUE);
                p.setLong(4, subsidyFen);
                p.setLong(5, cashFen);
                p.setLong(6, version);
                p.setString(7, pinVerifier == null ? "" : pinVerifier);
                p.setInt(8, expiresDay);
                p.executeUpdate();
            }
            try (PreparedStatement p = db.prepareStatement(
                    "INSERT INTO cards(card_uid, account_id, card_serial, v1_ticket) VALUES (?, ?, ?, ?)")) {
                p.setBytes(1, cardUid);
                p.setLong(2, accountId);
                p.setLong(3, cardSerial);
                p.setBytes(4, v1Ticket);
                p.executeUpdate();
            }
            insertMovement(new Movement(accountId, "OPEN", null, 0, subsidyFen, cashFen, "open", false, clock.millis()));
            return null;
        });
        pushAccounts(Set.of(accountId));
    }

    public synchronized void topUp(long accountId, long fen, String channel) {
        if (fen <= 0) {
            throw new IllegalArgumentException("top-up of account " + accountId + " must be positive: " + fen);
        }
        tx("topping up account " + accountId, () -> {
            LedgerReads.requireAccount(db, accountId);
            try (PreparedStatement p = db.prepareStatement(
                    "UPDATE accounts SET cash_fen = cash_fen + ?, version = ? WHERE account_id = ?")) {
                p.setLong(1, fen);
                p.setLong(2, nextVersion(ACCOUNTS));
                p.setLong(3, accountId);
                p.executeUpdate();
            }
            insertMovement(new Movement(accountId, "TOP_UP", null, 0, 0, fen, channel, false, clock.millis()));
            return null;
        });
        pushAccounts(Set.of(accountId));
    }

    /** LOST lists the account's cards on the blacklist; ACTIVE from LOST unlists them. */
    public synchronized void setStatus(long accountId, AccountStatus status) {
        if (status == AccountStatus.ACCOUNT_STATUS_UNSPECIFIED || status == AccountStatus.UNRECOGNIZED) {
            throw new IllegalArgumentException("no such account status: " + status);
        }
        List<byte[]> changedCards = tx("setting account " + accountId + " to " + status, () -> {
            AccountStatus before = AccountStatus.forNumber(LedgerReads.requireAccount(db, accountId).status());
            try (PreparedStatement p = db.prepareStatement(
                    "UPDATE accounts SET status = ?, version = ? WHERE account_id = ?")) {
                p.setInt(1, status.getNumber());
                p.setLong(2, nextVersion(ACCOUNTS));
                p.setLong(3, accountId);
                p.executeUpdate();
            }
            List<byte[]> cards = new ArrayList<>();
            boolean list = status == AccountStatus.LOST;
            boolean unlist = before == AccountStatus.LOST && status == AccountStatus.ACTIVE;
            if (list || unlist) {
                for (byte[] uid : LedgerReads.cardsOf(db, accountId)) {
                    try (PreparedStatement p = db.prepareStatement("""
                            INSERT INTO blacklist(card_uid, account_id, listed, reason, version) VALUES (?, ?, ?, ?, ?)
                            ON CONFLICT(card_uid) DO UPDATE SET listed = excluded.listed, reason = excluded.reason,
                              version = excluded.version""")) {
                        p.setBytes(1, uid);
                        p.setLong(2, accountId);
                        p.setInt(3, list ? 1 : 0);
                        p.setString(4, list ? "reported lost" : "found");
                        p.setLong(5, nextVersion(BLACKLIST));
                        p.executeUpdate();
                    }
                    cards.add(uid);
                }
            }
            return cards;
        });
        pushAccounts(Set.of(accountId));
        List<Downstream> pushes = tx("reading blacklist changes", () -> {
            List<Downstream> out = new ArrayList<>();
            for (byte[] uid : changedCards) {
                out.add(Downstream.newBuilder().setStream(BLACKLIST).setVersion(LedgerReads.blacklistVersion(db, uid))
                        .setBlacklist(LedgerReads.blacklistEntry(db, uid).orElseThrow()).build());
            }
            return out;
        });
        for (Downstream d : pushes) {
            for (TerminalSubscriber s : subscribers) {
                s.push(d);
            }
        }
    }

    /** A screen message for every terminal (or one, when {@code terminalId} is not null). */
    public synchronized void publishMessage(String terminalId, String text, long untilMs) {
        appendStream(MESSAGES, terminalId, Downstream.newBuilder()
                .setMessage(ScreenMessage.newBuilder().setText(text).setUntilMs(untilMs)));
    }

    /** Appends one change to an append-only stream (messages, qr, config) and pushes it. */
    public synchronized void appendStream(String stream, String terminalId, Downstream.Builder change) {
        Downstream d = tx("appending to stream " + stream, () -> logStream(db, stream, terminalId, change));
        pushStream(terminalId, d);
    }

    /**
     * Sends one configuration key to a terminal (the "config" stream). The terminal validates it
     * like {@code posctl config set}: applied at once where safe, else at its next restart, and
     * refused (logged) when invalid.
     */
    public void pushConfig(String terminalId, String key, String value) {
        appendStream(CONFIG, terminalId, Downstream.newBuilder()
                .setConfig(com.onecard.pos.sync.proto.ConfigChange.newBuilder().setKey(key).setValue(value)));
    }

    /** Writes one append-only stream change inside the caller's transaction; push after commit. */
    static Downstream logStream(Connection db, String stream, String terminalId, Downstream.Builder change)
            throws SQLException {
        long version = LedgerIngest.nextVersion(db, stream);
        Downstream built = change.setStream(stream).setVersion(version).build();
        try (PreparedStatement p = db.prepareStatement(
                "INSERT INTO stream_log(stream, version, terminal_id, payload) VALUES (?, ?, ?, ?)")) {
            p.setString(1, stream);
            p.setLong(2, version);
            p.setString(3, terminalId);
            p.setBytes(4, built.toByteArray());
            p.executeUpdate();
        }
        return built;
    }

    private void pushStream(String terminalId, Downstream d) {
        for (TerminalSubscriber s : subscribers) {
            if (terminalId == null || terminalId.equals(s.terminalId())) {
                s.push(d);
            }
        }
    }

    public synchronized void recordQrCancel(String terminalId, String token, String saleId) {
        tx("recording QR cancel from " + terminalId, () -> {
            try (PreparedStatement p = db.prepareStatement(
                    "INSERT OR IGNORE INTO qr_cancels(token, sale_id, terminal_id, time_ms) VALUES (?, ?, ?, ?)")) {
                p.setString(1, token);
                p.setString(2, saleId);
                p.setString(3, terminalId);
                p.setLong(4, clock.millis());
                p.executeUpdate();
            }
            return null;
        });
    }

    public synchronized boolean qrCancelled(String token) {
        return tx("reading QR cancel", () -> {
            try (PreparedStatement p = db.prepareStatement("SELECT 1 FROM qr_cancels WHERE token = ?")) {
                p.setString(1, token);
                try (ResultSet r = p.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    // ---- scan-to-pay and the campus app ---------------------------------------------------

    /**
     * Pays a campus payment code from an account, in one transaction: the token is recorded
     * paid, the amount under the terminal's MAC is debited (subsidy first, then cash) as a QR
     * movement and a QrPaidNotice is logged on the "qr" stream of that terminal; after commit
     * the notice goes to that terminal only and the new balance to every terminal.
     * See {@link QrPayments} for the refusals and the late-notice policy.
     *
     * @param payerPassword the card password, or null when the app is logged in and needs none
     */
    public synchronized QrPayments.PayResult payQr(String payload, long accountId, String payerPassword) {
        QrPayments.Paid paid = tx("paying a QR code from account " + accountId,
                () -> QrPayments.pay(db, clock, payload, accountId, payerPassword));
        if (paid.notice() != null) {
            pushStream(paid.result().terminalId(), paid.notice());
            pushAccounts(Set.of(accountId));
        }
        return paid.result();
    }

    /** What the app shows before paying: the code's fields and whether it is payable (OK). No charge. */
    public synchronized QrPayments.PayResult inspectQr(String payload) {
        return tx("inspecting a QR code", () -> QrPayments.inspect(db, clock, payload));
    }

    /** Where a campus app account stands; the verifier and national id are for password checks only. */
    public record AccountInfo(long accountId, String holderName, AccountStatus status, long subsidyFen, long cashFen,
                              String pinVerifier, String nationalId, int passwordFailures) {
        @Override
        public String toString() {
            return "AccountInfo[accountId=" + accountId + ", status=" + status + "]";
        }
    }

    public synchronized Optional<AccountInfo> account(long accountId) {
        return tx("reading account " + accountId, () -> {
            try (PreparedStatement p = db.prepareStatement("""
                    SELECT holder_name, status, subsidy_fen, cash_fen, pin_verifier, national_id, password_failures
                    FROM accounts WHERE account_id = ?""")) {
                p.setLong(1, accountId);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new AccountInfo(accountId, r.getString(1), AccountStatus.forNumber(r.getInt(2)),
                            r.getLong(3), r.getLong(4), r.getString(5), r.getString(6), r.getInt(7)));
                }
            }
        });
    }

    /** The holder's national ID number, from which the default card password derives. */
    public synchronized void setNationalId(long accountId, String nationalId) {
        updateAccountColumn("setting national id of " + accountId, "national_id", nationalId, accountId);
    }

    /** Counts one wrong card password; returns the count so far. */
    public synchronized int recordPasswordFailure(long accountId) {
        return tx("counting a wrong password of " + accountId, () -> {
            try (PreparedStatement p = db.prepareStatement("""
                    UPDATE accounts SET password_failures = password_failures + 1 WHERE account_id = ?
                    RETURNING password_failures""")) {
                p.setLong(1, accountId);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        throw new IllegalArgumentException("no account " + accountId);
                    }
                    return r.getInt(1);
                }
            }
        });
    }

    /** A right password (or the card center's desk) clears the count and so the lock. */
    public synchronized void resetPasswordFailures(long accountId) {
        updateAccountColumn("clearing wrong passwords of " + accountId, "password_failures", 0, accountId);
    }

    /** A message for the account's owner in the app (not a terminal screen message). */
    public synchronized void addMessage(long accountId, String text) {
        tx("writing a message to " + accountId, () -> {
            insertMessage(accountId, text);
            return null;
        });
    }

    /**
     * A finder registers a card; its owner gets a message. Returns the owner's account, empty
     * when no account holds the card.
     */
    public synchronized OptionalLong registerFoundCard(byte[] cardUid, String finder, String place) {
        return tx("registering a found card", () -> {
            Long owner = LedgerReads.accountOf(db, cardUid);
            if (owner == null) {
                return OptionalLong.empty();
            }
            long now = clock.millis();
            try (PreparedStatement p = db.prepareStatement(
                    "INSERT INTO found_cards(card_uid, account_id, finder, place, time_ms) VALUES (?, ?, ?, ?, ?)")) {
                p.setBytes(1, cardUid);
                p.setLong(2, owner);
                p.setString(3, finder);
                p.setString(4, place);
                p.setLong(5, now);
                p.executeUpdate();
            }
            insertMessage(owner, "your card was found at " + place + " by " + finder + ", " + Instant.ofEpochMilli(now));
            return OptionalLong.of(owner);
        });
    }

    /** One message to the account's owner. */
    public record Message(long id, String text, long timeMs) {
    }

    /** The owner's messages (notices, sightings, found cards), newest first. */
    public synchronized List<Message> messagesNewestFirst(long accountId) {
        return tx("reading messages of " + accountId, () -> {
            List<Message> out = new ArrayList<>();
            try (PreparedStatement p = db.prepareStatement(
                    "SELECT id, text, time_ms FROM messages WHERE account_id = ? ORDER BY time_ms DESC, id DESC")) {
                p.setLong(1, accountId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new Message(r.getLong(1), r.getString(2), r.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    /** Movements a student sees as bills: money in and out, not sightings or informational rows. */
    private static final String BILL_KINDS = "('TOP_UP', 'SALE', 'QR', 'REVERSAL')";

    /** A page of the account's bills, newest first. */
    public synchronized List<Movement> bills(long accountId, int offset, int limit) {
        return tx("reading bills of " + accountId, () -> {
            List<Movement> out = new ArrayList<>();
            try (PreparedStatement p = db.prepareStatement(
                    "SELECT account_id, kind, terminal_id, seq, subsidy_fen, cash_fen, channel, overdraft, time_ms"
                    + " FROM movements WHERE account_id = ? AND kind IN " + BILL_KINDS
                    + " ORDER BY time_ms DESC, id DESC LIMIT ? OFFSET ?")) {
                p.setLong(1, accountId);
                p.setInt(2, limit);
                p.setInt(3, offset);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new Movement(r.getLong(1), r.getString(2), r.getString(3), r.getLong(4), r.getLong(5),
                                r.getLong(6), r.getString(7), r.getInt(8) != 0, r.getLong(9)));
                    }
                }
            }
            return out;
        });
    }

    public synchronized int billCount(long accountId) {
        return tx("counting bills of " + accountId, () -> {
            try (PreparedStatement p = db.prepareStatement(
                    "SELECT COUNT(*) FROM movements WHERE account_id = ? AND kind IN " + BILL_KINDS)) {
                p.setLong(1, accountId);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return r.getInt(1);
                }
            }
        });
    }

    private void insertMessage(long accountId, String text) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(
                "INSERT INTO messages(account_id, text, time_ms) VALUES (?, ?, ?)")) {
            p.setLong(1, accountId);
            p.setString(2, text);
            p.setLong(3, clock.millis());
            p.executeUpdate();
        }
    }

    private void updateAccountColumn(String what, String column, Object value, long accountId) {
        tx(what, () -> {
            try (PreparedStatement p = db.prepareStatement(
                    "UPDATE accounts SET " + column + " = ? WHERE account_id = ?")) {
                p.setObject(1, value);
                p.setLong(2, accountId);
                if (p.executeUpdate() != 1) {
                    throw new IllegalArgumentException("no account " + accountId);
                }
            }
            return null;
        });
    }

    // ---- queries --------------------------------------------------------------------------

    /** {subsidy, cash} in fen. */
    public synchronized long[] purses(long accountId) {
        return tx("reading purses of " + accountId, () -> {
            LedgerReads.AccountRow a = LedgerReads.requireAccount(db, accountId);
            return new long[] {a.subsidyFen(), a.cashFen()};
        });
    }

    public synchronized AccountStatus status(long accountId) {
        return tx("reading status of " + accountId, () ->
                AccountStatus.forNumber(LedgerReads.requireAccount(db, accountId).status()));
    }

    public synchronized long appliedSeq(String terminalId) {
        return tx("reading watermark of " + terminalId, () -> LedgerReads.watermark(db, terminalId));
    }

    /** Every applied row of the terminal in seq order. */
    public synchronized List<JournalRow> appliedRows(String terminalId) {
        return tx("reading journal of " + terminalId, () -> {
            List<JournalRow> rows = new ArrayList<>();
            try (PreparedStatement p = db.prepareStatement(
                    "SELECT row FROM journal WHERE terminal_id = ? ORDER BY seq")) {
                p.setString(1, terminalId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        rows.add(parseRow(r.getBytes(1)));
                    }
                }
            }
            return rows;
        });
    }

    public synchronized List<String> messages(long accountId) {
        return tx("reading messages of " + accountId, () -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement p = db.prepareStatement(
                    "SELECT text FROM messages WHERE account_id = ? ORDER BY id")) {
                p.setLong(1, accountId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
            }
            return out;
        });
    }

    public synchronized List<Movement> movements(long accountId) {
        return tx("reading movements of " + accountId, () -> {
            List<Movement> out = new ArrayList<>();
            try (PreparedStatement p = db.prepareStatement("""
                    SELECT account_id, kind, terminal_id, seq, subsidy_fen, cash_fen, channel, overdraft, time_ms
                    FROM movements WHERE account_id = ? ORDER BY id""")) {
                p.setLong(1, accountId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new Movement(r.getLong(1), r.getString(2), r.getString(3), r.getLong(4), r.getLong(5),
                                r.getLong(6), r.getString(7), r.getInt(8) != 0, r.getLong(9)));
                    }
                }
            }
            return out;
        });
    }

    // ---- protocol operations --------------------------------------------------------------

    /**
     * Applies a batch idempotently on (terminal, seq): rows at or below the watermark are
     * skipped, the next row is applied after its MAC checks out, a row beyond it is a GAP.
     * All or nothing: a rejected batch leaves the ledger as it was.
     */
    public synchronized IngestResult ingest(String terminalId, List<JournalRow> rows) {
        IngestResult result;
        Set<Long> changed = new LinkedHashSet<>();
        try {
            long before = LedgerReads.watermark(db, terminalId);
            result = LedgerIngest.run(db, clock, terminalId, rows, changed);
            if (result.ok()) {
                markQrRefunds(terminalId, rows, before, result.appliedSeq());
                db.commit();
            } else {
                db.rollback();
                changed.clear();
            }
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw new LedgerException("ingesting " + rows.size() + " rows of terminal " + terminalId, e);
        }
        pushAccounts(changed);
        return result;
    }

    /** Online authorization: read-only, the sale's journal row debits later. */
    public synchronized AuthResponse authorize(String terminalId, AuthRequest req) {
        return tx("authorizing sale " + req.getSaleId() + " for " + terminalId, () -> {
            Long accountId = LedgerReads.accountOf(db, req.getCardUid().toByteArray());
            if (accountId == null && req.getAccountId() != 0 && LedgerReads.accountExists(db, req.getAccountId())) {
                accountId = req.getAccountId();
            }
            long applied = LedgerReads.watermark(db, terminalId);
            if (accountId == null) {
                return AuthResponse.newBuilder().setApproved(false).setReason("UNKNOWN_CARD").setAppliedSeq(applied).build();
            }
            LedgerReads.AccountRow a = LedgerReads.requireAccount(db, accountId);
            long subsidy = a.subsidyFen();
            long cash = a.cashFen();
            AccountStatus st = AccountStatus.forNumber(a.status());
            String reason = null;
            if (st == AccountStatus.LOST || LedgerReads.isListed(db, req.getCardUid().toByteArray())) {
                reason = "LOST";
            } else if (st == AccountStatus.FROZEN) {
                reason = "FROZEN";
            } else if (st != AccountStatus.ACTIVE) {
                reason = String.valueOf(st);
            } else if (subsidy + cash < req.getAmountFen()) {
                reason = "INSUFFICIENT_FUNDS";
            }
            AuthResponse.Builder b = AuthResponse.newBuilder().setApproved(reason == null)
                    .setSubsidyFen(subsidy).setCashFen(cash).setAppliedSeq(applied);
            if (reason != null) {
                b.setReason(reason);
            }
            return b.build();
        });
    }

    /**
     * Registers a connected terminal and replays every stream after its cursors. Holding the
     * lock across replay and registration is what keeps the terminal from missing a change.
     */
    public synchronized void subscribe(TerminalSubscriber s, Map<String, Long> cursors) {
        String tid = s.terminalId();
        subscribers.removeIf(old -> old == s);
        tx("replaying streams to " + tid, () -> {
            LedgerReplay.replay(db, tid, cursors, s::push);
            return null;
        });
        subscribers.add(s);
    }

    public void unsubscribe(TerminalSubscriber s) {
        subscribers.remove(s);
    }

    @Override
    public synchronized void close() {
        subscribers.clear();
        try {
            db.close();
        } catch (SQLException e) {
            log.warn("closing ledger: {}", e.getMessage());
        }
    }

    // ---- internals ------------------------------------------------------------------------

    private void pushAccounts(Set<Long> accountIds) {
        if (accountIds.isEmpty() || subscribers.isEmpty()) {
            return;
        }
        tx("pushing account updates", () -> {
            for (TerminalSubscriber s : subscribers) {
                long applied = LedgerReads.watermark(db, s.terminalId());
                List<Downstream> changes = new ArrayList<>();
                for (long id : accountIds) {
                    changes.add(LedgerReads.accountChange(db, id, applied));
                }
                // the stream's cursor is the account version: a terminal resuming from a cursor must
                // never have been sent a higher version before a lower one
                changes.sort(java.util.Comparator.comparingLong(Downstream::getVersion));
                changes.forEach(s::push);
            }
            return null;
        });
    }

    /**
     * A REVERSAL pointing at a QR_SALE is the terminal giving back a payment that crossed its
     * cancel or expiry; ingest credited it to the cash purse as the row says, and here the
     * token becomes refunded, in the same transaction.
     */
    private void markQrRefunds(String terminalId, List<JournalRow> rows, long before, long after) throws SQLException {
        for (JournalRow row : rows) {
            if (row.getSeq() <= before || row.getSeq() > after || row.getKind() != RowKind.REVERSAL) {
                continue;
            }
            try (PreparedStatement p = db.prepareStatement("SELECT row FROM journal WHERE terminal_id = ? AND seq = ?")) {
                p.setString(1, terminalId);
                p.setLong(2, row.getReversesSeq());
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        JournalRow reversed = parseRow(r.getBytes(1));
                        if (reversed.getKind() == RowKind.QR_SALE && !QrPayments.markRefunded(db, reversed.getQrToken())) {
                            log.warn("terminal {} seq {} refunds QR token of sale {} that the center had not paid",
                                    terminalId, row.getSeq(), reversed.getSaleId());
                        }
                    }
                }
            }
        }
    }

    private long nextVersion(String stream) throws SQLException {
        return LedgerIngest.nextVersion(db, stream);
    }

    private void insertMovement(Movement m) throws SQLException {
        LedgerIngest.insertMovement(db, m);
    }

    static JournalRow parseRow(byte[] bytes) {
        try {
            return JournalRow.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new LedgerException("stored journal row does not parse", e);
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException, InvalidProtocolBufferException;
    }

    private <T> T tx(String what, SqlWork<T> work) {
        try {
            T value = work.run();
            db.commit();
            return value;
        } catch (SQLException | InvalidProtocolBufferException e) {
            rollbackQuietly();
            throw new LedgerException(what, e);
        } catch (RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException e) {
            log.warn("rollback failed: {}", e.getMessage());
        }
    }

    /** Used by {@link LedgerIngest} for the "seen at" text. */
    static String sightingText(String terminalId, long timeMs) {
        return "your card was seen at " + terminalId + ", " + Instant.ofEpochMilli(timeMs);
    }
}
