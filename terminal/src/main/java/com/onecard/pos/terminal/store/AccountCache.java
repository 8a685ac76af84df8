package com.onecard.pos.terminal.store;

import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.BlacklistEntry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The account cache and blacklist the center keeps this terminal supplied with, the downstream
 * stream cursors, and the card-password tries counted here. Part of {@link Store}: same file,
 * same writer, same terminal thread.
 */
public final class AccountCache {
    private final Db db;
    /** The accounts stream's cursor, kept in memory: every tap asks whether the terminal is provisioned. */
    private volatile long accountsCursor;

    AccountCache(Db db) {
        this.db = db;
    }

    /** Reads what is kept in memory; after the schema exists. */
    void load() {
        accountsCursor = cursors().getOrDefault(ACCOUNTS, 0L);
    }

    private static final String ACCOUNTS = "accounts";

    /** The terminal has received its account cache at least once (the accounts stream has moved). */
    public boolean provisioned() {
        return accountsCursor > 0;
    }

    public Optional<Account> accountByUid(byte[] uid) {
        return queryAccount("SELECT * FROM accounts WHERE card_uid=?", ps -> ps.setBytes(1, uid));
    }

    public Optional<Account> accountById(long accountId) {
        return queryAccount("SELECT * FROM accounts WHERE account_id=?", ps -> ps.setLong(1, accountId));
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private Optional<Account> queryAccount(String sql, Binder b) {
        try (PreparedStatement ps = db.prepare(sql)) {
            b.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Account(rs.getLong("account_id"), rs.getBytes("card_uid"), rs.getLong("card_serial"),
                        rs.getString("holder"), CardStatus.fromWire(rs.getInt("status")), rs.getLong("subsidy_fen"),
                        rs.getLong("cash_fen"), rs.getLong("version"), rs.getLong("applied_seq"),
                        rs.getString("pin_verifier"), rs.getInt("expires_day")));
            }
        } catch (SQLException e) {
            throw StoreException.wrap("reading account cache", e);
        }
    }

    public long accountCount() {
        return db.scalar("SELECT COUNT(*) FROM accounts");
    }

    public boolean blacklisted(byte[] uid) {
        try (PreparedStatement ps = db.prepare("SELECT listed FROM blacklist WHERE card_uid=?")) {
            ps.setBytes(1, uid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        } catch (SQLException e) {
            throw StoreException.wrap("reading blacklist", e);
        }
    }

    public long blacklistCount() {
        return db.scalar("SELECT COUNT(*) FROM blacklist WHERE listed=1");
    }

    /** Applies one downstream account change and moves the stream cursor, in one transaction. */
    public void applyAccount(AccountUpdate u, long streamVersion) {
        applyAccounts(java.util.List.of(u), streamVersion);
    }

    /**
     * Applies a batch of downstream account changes and moves the stream cursor to
     * {@code streamVersion}, in one transaction (one fsync for the batch). A change older than
     * the cached version of its account is skipped; a card moved to another account leaves its
     * old one.
     */
    public void applyAccounts(java.util.List<AccountUpdate> updates, long streamVersion) {
        db.tx("applying " + updates.size() + " account changes up to v" + streamVersion, () -> {
            // a new card password from the center (set or reset at the card office) ends a lock here
            try (PreparedStatement unlock = db.prepare("DELETE FROM pin_tries WHERE account_id=? AND EXISTS"
                    + " (SELECT 1 FROM accounts WHERE account_id=? AND pin_verifier<>? AND version<=?)");
                 PreparedStatement del = db.prepare("DELETE FROM accounts WHERE card_uid=? AND account_id<>?");
                 PreparedStatement ps = db.prepare(
                    "INSERT INTO accounts(account_id,card_uid,card_serial,holder,status,subsidy_fen,cash_fen,version,applied_seq,pin_verifier,expires_day,card_v1_ticket)"
                            + " VALUES(?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(account_id) DO UPDATE SET card_uid=excluded.card_uid,"
                            + " card_serial=excluded.card_serial, holder=excluded.holder, status=excluded.status,"
                            + " subsidy_fen=excluded.subsidy_fen, cash_fen=excluded.cash_fen, version=excluded.version,"
                            + " applied_seq=excluded.applied_seq, pin_verifier=excluded.pin_verifier, expires_day=excluded.expires_day,"
                            + " card_v1_ticket=excluded.card_v1_ticket"
                            + " WHERE excluded.version>=accounts.version")) {
                for (AccountUpdate u : updates) {
                    unlock.setLong(1, u.getAccountId());
                    unlock.setLong(2, u.getAccountId());
                    unlock.setString(3, u.getPinVerifier());
                    unlock.setLong(4, u.getVersion());
                    unlock.executeUpdate();
                    del.setBytes(1, u.getCardUid().toByteArray());
                    del.setLong(2, u.getAccountId());
                    del.executeUpdate();
                    ps.setLong(1, u.getAccountId());
                    ps.setBytes(2, u.getCardUid().toByteArray());
                    ps.setLong(3, u.getCardSerial());
                    ps.setString(4, u.getHolderName());
                    ps.setInt(5, u.getStatusValue());
                    ps.setLong(6, u.getSubsidyFen());
                    ps.setLong(7, u.getCashFen());
                    ps.setLong(8, u.getVersion());
                    ps.setLong(9, u.getAppliedSeq());
                    // never a card-password verifier: only the center checks passwords (an older center may send one)
                    ps.setString(10, "");
                    ps.setLong(11, u.getExpiresDay());
                    ps.setBytes(12, u.getCardV1Ticket().toByteArray());
                    ps.executeUpdate();
                }
            }
            putCursor(ACCOUNTS, streamVersion);
        });
        accountsCursor = Math.max(accountsCursor, streamVersion);
    }

    public void applyBlacklist(BlacklistEntry e, long streamVersion) {
        db.tx("applying blacklist entry", () -> {
            try (PreparedStatement ps = db.prepare(
                    "INSERT INTO blacklist(card_uid,account_id,listed,version,reason) VALUES(?,?,?,?,?)"
                            + " ON CONFLICT(card_uid) DO UPDATE SET account_id=excluded.account_id, listed=excluded.listed,"
                            + " version=excluded.version, reason=excluded.reason")) {
                ps.setBytes(1, e.getCardUid().toByteArray());
                ps.setLong(2, e.getAccountId());
                ps.setInt(3, e.getListed() ? 1 : 0);
                ps.setLong(4, streamVersion);
                ps.setString(5, e.getReason());
                ps.executeUpdate();
            }
            putCursor("blacklist", streamVersion);
        });
    }

    /** Moves a stream cursor alone (streams whose changes need no table of their own). */
    public void setCursor(String stream, long version) {
        db.tx("moving cursor " + stream, () -> putCursor(stream, version));
        if (stream.equals(ACCOUNTS)) {
            accountsCursor = Math.max(accountsCursor, version);
        }
    }

    void putCursor(String stream, long version) throws SQLException {
        try (PreparedStatement ps = db.prepare(
                "INSERT INTO cursors(stream,version) VALUES(?,?) ON CONFLICT(stream) DO UPDATE SET version=MAX(version,excluded.version)")) {
            ps.setString(1, stream);
            ps.setLong(2, version);
            ps.executeUpdate();
        }
    }

    public Map<String, Long> cursors() {
        Map<String, Long> m = new HashMap<>();
        try (Statement st = db.db.createStatement(); ResultSet rs = st.executeQuery("SELECT stream, version FROM cursors")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getLong(2));
            }
            return m;
        } catch (SQLException e) {
            throw StoreException.wrap("reading cursors", e);
        }
    }

    public int pinFailures(long accountId) {
        return (int) db.queryLong("reading PIN tries", "SELECT COALESCE((SELECT failures FROM pin_tries WHERE account_id=?),0)", accountId);
    }

    /**
     * Consecutive wrong card passwords whose last one came at or after {@code sinceMs}: a lock
     * ends when its last failure is older than the lock period.
     */
    public int pinFailures(long accountId, long sinceMs) {
        return (int) db.queryLong("reading PIN tries",
                "SELECT COALESCE((SELECT failures FROM pin_tries WHERE account_id=? AND last_ms>=?),0)", accountId, sinceMs);
    }

    /** When the last wrong card password was typed, or 0. */
    public long lastPinFailureMs(long accountId) {
        return db.queryLong("reading PIN tries", "SELECT COALESCE((SELECT last_ms FROM pin_tries WHERE account_id=?),0)", accountId);
    }

    /** Forgets an account's wrong card passwords (the card office unlocked it). */
    public void clearPinFailures(long accountId) {
        db.tx("clearing PIN tries", () -> {
            try (PreparedStatement ps = db.prepare("DELETE FROM pin_tries WHERE account_id=?")) {
                ps.setLong(1, accountId);
                ps.executeUpdate();
            }
        });
    }

    public void setPinFailures(long accountId, int failures, long nowMs) {
        db.tx("recording PIN tries", () -> putPinFailures(accountId, failures, nowMs));
    }

    void putPinFailures(long accountId, int failures, long nowMs) throws SQLException {
        try (PreparedStatement ps = db.prepare(
                "INSERT INTO pin_tries(account_id,failures,last_ms) VALUES(?,?,?) ON CONFLICT(account_id)"
                        + " DO UPDATE SET failures=excluded.failures, last_ms=excluded.last_ms")) {
            ps.setLong(1, accountId);
            ps.setInt(2, failures);
            ps.setLong(3, nowMs);
            ps.executeUpdate();
        }
    }
}
