package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.sync.proto.AccountStatus;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Accounts, their cards and their two purses (subsidy, cash; fen), with every movement of
 * money. A change of an account reaches the terminals on the "accounts" stream; a loss lists
 * the account's cards on the blacklist in the same transaction.
 */
public final class Accounts {
    /** Movements a student sees as bills: money in and out, not sightings or informational rows. */
    private static final String BILL_KINDS = "('TOP_UP', 'SALE', 'QR', 'REVERSAL')";

    /** Where a campus app account stands; the verifier and national id are for password checks only. */
    public record AccountInfo(long accountId, String holderName, AccountStatus status, long subsidyFen, long cashFen,
                              String pinVerifier, String nationalId, int passwordFailures) {
        @Override
        public String toString() {
            return "AccountInfo[accountId=" + accountId + ", status=" + status + "]";
        }
    }

    private final UnitOfWork uow;
    private final Clock clock;

    public Accounts(UnitOfWork uow, Clock clock) {
        this.uow = uow;
        this.clock = clock;
    }

    /**
     * Opens an account with one card.
     *
     * @param pinVerifier the card password's verifier ({@code PinVerifier}), or empty for none
     * @param expiresDay  epoch day after which the card is expired; 0 = never
     */
    public void open(long accountId, byte[] cardUid, long cardSerial, String holderName, long subsidyFen, long cashFen,
                     String pinVerifier, int expiresDay) {
        open(accountId, cardUid, cardSerial, holderName, subsidyFen, cashFen, pinVerifier, expiresDay, new byte[0]);
    }

    /**
     * As {@link #open(long, byte[], long, String, long, long, String, int)} for a card of layout 1,
     * issued before the signed layout: {@code v1Ticket} is the issuer desk's ticket for it (22
     * bytes), with which terminals read and check it until the campus's cut-over day.
     */
    public void open(long accountId, byte[] cardUid, long cardSerial, String holderName, long subsidyFen, long cashFen,
                     String pinVerifier, int expiresDay, byte[] v1Ticket) {
        uow.run("opening account " + accountId, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO accounts(account_id, holder_name, status, subsidy_fen, cash_fen, version, pin_verifier,
                      expires_day) VALUES (?, ?, ?, ?, ?, 0, ?, ?)""")) {
                p.setLong(1, accountId);
                p.setString(2, holderName);
                p.setInt(3, AccountStatus.ACTIVE_VALUE);
                p.setLong(4, subsidyFen);
                p.setLong(5, cashFen);
                p.setString(6, pinVerifier == null ? "" : pinVerifier);
                p.setInt(7, expiresDay);
                p.executeUpdate();
            }
            try (PreparedStatement p = tx.c().prepareStatement(
                    "INSERT INTO cards(card_uid, account_id, card_serial, v1_ticket) VALUES (?, ?, ?, ?)")) {
                p.setBytes(1, cardUid);
                p.setLong(2, accountId);
                p.setLong(3, cardSerial);
                p.setBytes(4, v1Ticket == null ? new byte[0] : v1Ticket);
                p.executeUpdate();
            }
            Movement.insert(tx.c(), new Movement(accountId, "OPEN", null, 0, subsidyFen, cashFen, "open", false,
                    clock.millis()));
            tx.accountChanged(accountId);
            return null;
        });
    }

    /** Credits the cash purse by {@code fen} (positive) from a payment channel. */
    public void topUp(long accountId, long fen, String channel) {
        if (fen <= 0) {
            throw new IllegalArgumentException("top-up of account " + accountId + " must be positive: " + fen);
        }
        uow.run("topping up account " + accountId, tx -> {
            topUp(tx, accountId, fen, channel);
            return null;
        });
    }

    /**
     * Credits the cash purse by {@code fen} inside the caller's unit of work (a paid top-up
     * order is credited in the same transaction that marks it paid); {@code channel} names the
     * payment channel and order on the TOP_UP movement, e.g. {@code wechat:T2026...}.
     */
    public void topUp(Tx tx, long accountId, long fen, String channel) throws SQLException {
        if (fen <= 0) {
            throw new IllegalArgumentException("top-up of account " + accountId + " must be positive: " + fen);
        }
        AccountRow.requireForUpdate(tx, accountId);
        try (PreparedStatement p = tx.c().prepareStatement(
                "UPDATE accounts SET cash_fen = cash_fen + ? WHERE account_id = ?")) {
            p.setLong(1, fen);
            p.setLong(2, accountId);
            p.executeUpdate();
        }
        Movement.insert(tx.c(), new Movement(accountId, "TOP_UP", null, 0, 0, fen, channel, false, clock.millis()));
        tx.accountChanged(accountId);
    }

    /**
     * The campus whose terminals serve this account (null = every terminal). Its state then goes
     * only to terminals of that campus and to those serving every campus.
     */
    public void setCampus(long accountId, String campus) {
        uow.run("setting the campus of account " + accountId, tx -> {
            AccountRow.requireForUpdate(tx, accountId);
            try (PreparedStatement p = tx.c().prepareStatement("UPDATE accounts SET campus = ? WHERE account_id = ?")) {
                p.setString(1, campus);
                p.setLong(2, accountId);
                p.executeUpdate();
            }
            tx.accountChanged(accountId);
            return null;
        });
    }

    /** LOST lists the account's cards on the blacklist; ACTIVE from LOST unlists them. */
    public void setStatus(long accountId, AccountStatus status) {
        if (status == AccountStatus.ACCOUNT_STATUS_UNSPECIFIED || status == AccountStatus.UNRECOGNIZED) {
            throw new IllegalArgumentException("no such account status: " + status);
        }
        uow.run("setting account " + accountId + " to " + status, tx -> {
            AccountStatus before = AccountStatus.forNumber(AccountRow.requireForUpdate(tx, accountId).status());
            try (PreparedStatement p = tx.c().prepareStatement("UPDATE accounts SET status = ? WHERE account_id = ?")) {
                p.setInt(1, status.getNumber());
                p.setLong(2, accountId);
                p.executeUpdate();
            }
            tx.accountChanged(accountId);
            boolean list = status == AccountStatus.LOST;
            boolean unlist = before == AccountStatus.LOST && status == AccountStatus.ACTIVE;
            if (list || unlist) {
                for (byte[] uid : cardsOf(tx, accountId)) {
                    Blacklist.set(tx, uid, accountId, list);
                }
            }
            return null;
        });
    }

    public Optional<AccountInfo> account(long accountId) {
        return uow.read("reading account " + accountId, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("""
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

    /** {subsidy, cash} in fen; IllegalArgumentException for an unknown account. */
    public long[] purses(long accountId) {
        return uow.read("reading purses of " + accountId, tx -> {
            AccountRow a = AccountRow.require(tx, accountId);
            return new long[] {a.subsidyFen(), a.cashFen()};
        });
    }

    public AccountStatus status(long accountId) {
        return uow.read("reading status of " + accountId,
                tx -> AccountStatus.forNumber(AccountRow.require(tx, accountId).status()));
    }

    /** The holder's national ID number, from which the default card password derives. */
    public void setNationalId(long accountId, String nationalId) {
        updateColumn("setting national id of " + accountId, "national_id", nationalId, accountId);
    }

    /** Counts one wrong card password; returns the count so far. */
    public int recordPasswordFailure(long accountId) {
        return uow.run("counting a wrong password of " + accountId, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("""
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
    public void resetPasswordFailures(long accountId) {
        updateColumn("clearing wrong passwords of " + accountId, "password_failures", 0, accountId);
    }

    /** Every movement of the account, oldest first. */
    public List<Movement> movements(long accountId) {
        return uow.read("reading movements of " + accountId, tx -> {
            List<Movement> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement(
                    "SELECT " + Movement.COLUMNS + " FROM movements WHERE account_id = ? ORDER BY id")) {
                p.setLong(1, accountId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(Movement.read(r));
                    }
                }
            }
            return out;
        });
    }

    /** A page of the account's bills, newest first. */
    public List<Movement> bills(long accountId, int offset, int limit) {
        return uow.read("reading bills of " + accountId, tx -> {
            List<Movement> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement("SELECT " + Movement.COLUMNS
                    + " FROM movements WHERE account_id = ? AND kind IN " + BILL_KINDS
                    + " ORDER BY time_ms DESC, id DESC LIMIT ? OFFSET ?")) {
                p.setLong(1, accountId);
                p.setInt(2, limit);
                p.setInt(3, offset);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(Movement.read(r));
                    }
                }
            }
            return out;
        });
    }

    public int billCount(long accountId) {
        return uow.read("counting bills of " + accountId, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement(
                    "SELECT COUNT(*) FROM movements WHERE account_id = ? AND kind IN " + BILL_KINDS)) {
                p.setLong(1, accountId);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return r.getInt(1);
                }
            }
        });
    }

    static List<byte[]> cardsOf(Tx tx, long accountId) throws SQLException {
        List<byte[]> out = new ArrayList<>();
        try (PreparedStatement p = tx.c().prepareStatement("SELECT card_uid FROM cards WHERE account_id = ?")) {
            p.setLong(1, accountId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getBytes(1));
                }
            }
        }
        return out;
    }

    private void updateColumn(String what, String column, Object value, long accountId) {
        uow.run(what, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement(
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
}
