package com.onecard.pos.terminal.store;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.BlacklistEntry;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The terminal's SQLite store: account cache, blacklist, journal (the outbox), stream cursors.
 * One writer: every method here is called from the terminal thread only. Reads for the sync
 * agent go through {@link OutboxReader}, which has its own connection (WAL lets it read while
 * the terminal writes). Every write is one transaction with synchronous=FULL: when a method
 * returns, the change is on disk.
 */
public final class Store implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Store.class);

    private final Path file;
    private final Connection db;
    private final JournalMac mac;
    private long lastSeq;
    private byte[] lastMac;
    private long ackedSeq;
    /** Money of the unacknowledged rows, kept up to date so that no decision sums the backlog. */
    private long backlogSum;

    private Store(Path file, Connection db, JournalMac mac) {
        this.file = file;
        this.db = db;
        this.mac = mac;
    }

    /** Opens (creating if needed) and migrates the store; verifies the journal's MAC chain. */
    public static Store open(Path file, byte[] terminalSecret) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection c = connect(file);
            Store s = new Store(file, c, new JournalMac(terminalSecret));
            s.migrate();
            s.loadHead();
            return s;
        } catch (SQLException e) {
            throw StoreException.wrap("opening store " + file, e);
        } catch (java.io.IOException e) {
            throw new StoreException(StoreException.Kind.IO, "creating data folder for " + file + ": " + e.getMessage(), e);
        }
    }

    static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=FULL");
            st.execute("PRAGMA busy_timeout=5000");
            st.execute("PRAGMA foreign_keys=ON");
        }
        return c;
    }

    public Path file() {
        return file;
    }

    private void migrate() throws SQLException {
        int version;
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            version = rs.getInt(1);
        }
        if (version > Schema.latest()) {
            throw new StoreException(StoreException.Kind.CORRUPT, "store " + file + " has schema version " + version
                    + ", newer than this firmware's " + Schema.latest() + "; refusing to touch it", null);
        }
        if (version == Schema.latest()) {
            return;
        }
        if (version > 0) {
            Path backup = file.resolveSibling(file.getFileName() + ".v" + version + "-" + System.currentTimeMillis() + ".bak");
            try (Statement st = db.createStatement()) {
                st.execute("VACUUM INTO '" + backup.toAbsolutePath().toString().replace("'", "''") + "'");
            }
            log.info("store {}: backed up schema v{} to {} before migrating", file, version, backup);
        }
        db.setAutoCommit(false);
        try (Statement st = db.createStatement()) {
            for (int v = version; v < Schema.latest(); v++) {
                for (String sql : Schema.MIGRATIONS.get(v)) {
                    st.execute(sql);
                }
            }
            st.execute("PRAGMA user_version=" + Schema.latest());
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
        log.info("store {}: schema migrated v{} -> v{}", file, version, Schema.latest());
    }

    private void loadHead() throws SQLException {
        lastSeq = 0;
        lastMac = JournalMac.genesis();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq, mac FROM journal ORDER BY seq DESC LIMIT 1")) {
            if (rs.next()) {
                lastSeq = rs.getLong(1);
                lastMac = rs.getBytes(2);
            }
        }
        ackedSeq = Long.parseLong(meta("acked_seq").orElse("0"));
        backlogSum = netAmount(ackedSeq, lastSeq);
    }

    /**
     * Walks the whole journal and checks the MAC chain and the sequence. Returns the first
     * problem found, or empty when the journal is intact.
     */
    public Optional<String> verifyChain() {
        byte[] prev = JournalMac.genesis();
        long expect = 1;
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(JournalRows.SELECT + " ORDER BY seq")) {
            while (rs.next()) {
                JournalRow r = JournalRows.read(rs);
                if (r.getSeq() != expect) {
                    return Optional.of("journal row " + expect + " is missing (next row is " + r.getSeq() + ")");
                }
                if (!mac.verify(prev, r)) {
                    return Optional.of("journal row " + r.getSeq() + " fails its MAC: edited, or chained to an edited row");
                }
                prev = r.getMac().toByteArray();
                expect++;
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw StoreException.wrap("verifying journal chain in " + file, e);
        }
    }

    // ---- accounts and blacklist -------------------------------------------------------------

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
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            b.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Account(rs.getLong("account_id"), rs.getBytes("card_uid"), rs.getLong("card_serial"),
                        rs.getString("holder"), AccountStatus.forNumber(rs.getInt("status")), rs.getLong("subsidy_fen"),
                        rs.getLong("cash_fen"), rs.getLong("version"), rs.getLong("applied_seq"),
                        rs.getString("pin_verifier"), rs.getInt("expires_day")));
            }
        } catch (SQLException e) {
            throw StoreException.wrap("reading account cache", e);
        }
    }

    public long accountCount() {
        return scalar("SELECT COUNT(*) FROM accounts");
    }

    public boolean blacklisted(byte[] uid) {
        try (PreparedStatement ps = db.prepareStatement("SELECT listed FROM blacklist WHERE card_uid=?")) {
            ps.setBytes(1, uid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        } catch (SQLException e) {
            throw StoreException.wrap("reading blacklist", e);
        }
    }

    public long blacklistCount() {
        return scalar("SELECT COUNT(*) FROM blacklist WHERE listed=1");
    }

    /**
     * This terminal's own debits on the account that the center's balance does not include yet:
     * sales after {@code appliedSeq} minus reversals after it. QR sales are settled at the center
     * when paid, so they are never in the overlay.
     */
    public Purses overlay(long accountId, long appliedSeq) {
        String sql = "SELECT COALESCE(SUM(CASE kind WHEN ? THEN subsidy_fen WHEN ? THEN -subsidy_fen ELSE 0 END),0),"
                + " COALESCE(SUM(CASE kind WHEN ? THEN cash_fen WHEN ? THEN -cash_fen ELSE 0 END),0)"
                + " FROM journal WHERE account_id=? AND seq>?";
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setInt(1, RowKind.SALE_VALUE);
            ps.setInt(2, RowKind.REVERSAL_VALUE);
            ps.setInt(3, RowKind.SALE_VALUE);
            ps.setInt(4, RowKind.REVERSAL_VALUE);
            ps.setLong(5, accountId);
            ps.setLong(6, appliedSeq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Purses(rs.getLong(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw StoreException.wrap("computing overlay for account " + accountId, e);
        }
    }

    /** Money of offline sales (net of reversals) on the account between two instants. */
    public long offlineSpent(long accountId, long fromMs, long toMs) {
        return queryLong("summing offline spend of account " + accountId,
                "SELECT COALESCE(SUM(CASE kind WHEN ? THEN amount_fen WHEN ? THEN -amount_fen ELSE 0 END),0)"
                        + " FROM journal WHERE account_id=? AND mode=? AND time_ms>=? AND time_ms<?",
                RowKind.SALE_VALUE, RowKind.REVERSAL_VALUE, accountId, com.onecard.pos.sync.proto.AuthMode.OFFLINE_VALUE, fromMs, toMs);
    }

    /** Money spent (all modes, net of reversals) on the account between two instants. */
    public long spent(long accountId, long fromMs, long toMs) {
        return queryLong("summing spend of account " + accountId,
                "SELECT COALESCE(SUM(CASE kind WHEN ? THEN amount_fen WHEN ? THEN -amount_fen WHEN ? THEN amount_fen ELSE 0 END),0)"
                        + " FROM journal WHERE account_id=? AND time_ms>=? AND time_ms<?",
                RowKind.SALE_VALUE, RowKind.REVERSAL_VALUE, RowKind.QR_SALE_VALUE, accountId, fromMs, toMs);
    }

    /** Sales on the account in a meal period window that have not been reversed. */
    public int salesCount(long accountId, long fromMs, long toMs) {
        return (int) queryLong("counting meal sales of account " + accountId,
                "SELECT COUNT(*) FROM journal s WHERE s.account_id=? AND s.kind IN (?,?) AND s.time_ms>=? AND s.time_ms<?"
                        + " AND NOT EXISTS (SELECT 1 FROM journal r WHERE r.kind=? AND r.reverses_seq=s.seq)",
                accountId, RowKind.SALE_VALUE, RowKind.QR_SALE_VALUE, fromMs, toMs, RowKind.REVERSAL_VALUE);
    }

    /** One number from a query whose parameters are bound in order. */
    private long queryLong(String doing, String sql, Object... params) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw StoreException.wrap(doing, e);
        }
    }

    /** Applies one downstream account change and moves the stream cursor, in one transaction. */
    public void applyAccount(AccountUpdate u, long streamVersion) {
        tx("applying account " + u.getAccountId(), () -> {
            try (PreparedStatement del = db.prepareStatement("DELETE FROM accounts WHERE card_uid=? AND account_id<>?")) {
                del.setBytes(1, u.getCardUid().toByteArray());
                del.setLong(2, u.getAccountId());
                del.executeUpdate();
            }
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO accounts(account_id,card_uid,card_serial,holder,status,subsidy_fen,cash_fen,version,applied_seq,pin_verifier,expires_day)"
                            + " VALUES(?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(account_id) DO UPDATE SET card_uid=excluded.card_uid,"
                            + " card_serial=excluded.card_serial, holder=excluded.holder, status=excluded.status,"
                            + " subsidy_fen=excluded.subsidy_fen, cash_fen=excluded.cash_fen, version=excluded.version,"
                            + " applied_seq=excluded.applied_seq, pin_verifier=excluded.pin_verifier, expires_day=excluded.expires_day"
                            + " WHERE excluded.version>=accounts.version")) {
                ps.setLong(1, u.getAccountId());
                ps.setBytes(2, u.getCardUid().toByteArray());
                ps.setLong(3, u.getCardSerial());
                ps.setString(4, u.getHolderName());
                ps.setInt(5, u.getStatusValue());
                ps.setLong(6, u.getSubsidyFen());
                ps.setLong(7, u.getCashFen());
                ps.setLong(8, u.getVersion());
                ps.setLong(9, u.getAppliedSeq());
                ps.setString(10, u.getPinVerifier());
                ps.setLong(11, u.getExpiresDay());
                ps.executeUpdate();
            }
            putCursor("accounts", streamVersion);
        });
    }

    public void applyBlacklist(BlacklistEntry e, long streamVersion) {
        tx("applying blacklist entry", () -> {
            try (PreparedStatement ps = db.prepareStatement(
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
        tx("moving cursor " + stream, () -> putCursor(stream, version));
    }

    private void putCursor(String stream, long version) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO cursors(stream,version) VALUES(?,?) ON CONFLICT(stream) DO UPDATE SET version=MAX(version,excluded.version)")) {
            ps.setString(1, stream);
            ps.setLong(2, version);
            ps.executeUpdate();
        }
    }

    public Map<String, Long> cursors() {
        Map<String, Long> m = new HashMap<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT stream, version FROM cursors")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getLong(2));
            }
            return m;
        } catch (SQLException e) {
            throw StoreException.wrap("reading cursors", e);
        }
    }

    // ---- journal ------------------------------------------------------------------------------

    /**
     * Appends a row: assigns the next sequence, chains the MAC, commits with fsync. The row passed
     * in carries everything but seq and the MACs. Returns the row as stored.
     */
    public JournalRow append(JournalRow row) {
        JournalRow sealed = mac.seal(lastMac, row.toBuilder().setSeq(lastSeq + 1).build());
        tx("appending journal row " + sealed.getSeq(), () -> {
            try (PreparedStatement ps = db.prepareStatement(JournalRows.INSERT)) {
                JournalRows.bind(ps, sealed);
                ps.executeUpdate();
            }
        });
        lastSeq = sealed.getSeq();
        backlogSum += netAmount(sealed);
        lastMac = sealed.getMac().toByteArray();
        return sealed;
    }

    public void recordDecline(long timeMs, String saleId, byte[] uid, long accountId, long amountFen, String reason, String period) {
        tx("recording decline " + saleId, () -> {
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO declines(time_ms,sale_id,card_uid,account_id,amount_fen,reason,meal_period) VALUES(?,?,?,?,?,?,?)")) {
                ps.setLong(1, timeMs);
                ps.setString(2, saleId);
                ps.setBytes(3, uid);
                ps.setLong(4, accountId);
                ps.setLong(5, amountFen);
                ps.setString(6, reason);
                ps.setString(7, period);
                ps.executeUpdate();
            }
        });
    }

    public Optional<JournalRow> row(long seq) {
        try (PreparedStatement ps = db.prepareStatement(JournalRows.SELECT + " WHERE seq=?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JournalRows.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw StoreException.wrap("reading journal row " + seq, e);
        }
    }

    /** Rows in a time window, oldest first (journal export, settlement). */
    public List<JournalRow> rowsBetween(long fromMs, long toMs, int limit) {
        try (PreparedStatement ps = db.prepareStatement(JournalRows.SELECT + " WHERE time_ms>=? AND time_ms<? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, fromMs);
            ps.setLong(2, toMs);
            ps.setInt(3, limit);
            List<JournalRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(JournalRows.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.wrap("reading journal", e);
        }
    }

    /** The last {@code n} rows, newest last. */
    public List<JournalRow> tail(int n) {
        try (PreparedStatement ps = db.prepareStatement(JournalRows.SELECT + " WHERE seq>? ORDER BY seq")) {
            ps.setLong(1, Math.max(0, lastSeq - n));
            List<JournalRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(JournalRows.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.wrap("reading journal tail", e);
        }
    }

    /** Counts of declines per reason in a time window. */
    public Map<String, Long> declinesBetween(long fromMs, long toMs) {
        Map<String, Long> m = new java.util.TreeMap<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT reason, COUNT(*) FROM declines WHERE time_ms>=? AND time_ms<? GROUP BY reason")) {
            ps.setLong(1, fromMs);
            ps.setLong(2, toMs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.put(rs.getString(1), rs.getLong(2));
                }
            }
            return m;
        } catch (SQLException e) {
            throw StoreException.wrap("reading declines", e);
        }
    }

    /** Declines per meal period and reason in a time window: period -> reason -> count. */
    public Map<String, Map<String, Long>> declinesByPeriod(long fromMs, long toMs) {
        Map<String, Map<String, Long>> m = new java.util.TreeMap<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT meal_period, reason, COUNT(*) FROM declines WHERE time_ms>=? AND time_ms<? GROUP BY meal_period, reason")) {
            ps.setLong(1, fromMs);
            ps.setLong(2, toMs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.computeIfAbsent(rs.getString(1), k -> new java.util.TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
            return m;
        } catch (SQLException e) {
            throw StoreException.wrap("reading declines", e);
        }
    }

    /** SQLite's own consistency check of the database file: "ok" when sound. */
    public String quickCheck() {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
            return rs.next() ? rs.getString(1) : "no answer";
        } catch (SQLException e) {
            throw StoreException.wrap("checking " + file, e);
        }
    }

    /** True when a QR sale with this token is already in the journal. */
    public boolean qrTokenJournaled(String token) {
        return queryLong("looking up QR token", "SELECT COUNT(*) FROM journal WHERE qr_token=? AND kind=?",
                token, RowKind.QR_SALE_VALUE) > 0;
    }

    public long lastSeq() {
        return lastSeq;
    }

    public long ackedSeq() {
        return ackedSeq;
    }

    /** The center has durably applied every row up to {@code seq}. */
    public void acknowledge(long seq) {
        long upTo = Math.min(seq, lastSeq);
        if (upTo <= ackedSeq) {
            return;
        }
        long acked = netAmount(ackedSeq, upTo);
        tx("acknowledging up to " + upTo, () -> {
            try (PreparedStatement ps = db.prepareStatement("UPDATE journal SET state=? WHERE seq>? AND seq<=?")) {
                ps.setInt(1, Schema.ACKED);
                ps.setLong(2, ackedSeq);
                ps.setLong(3, upTo);
                ps.executeUpdate();
            }
            putMeta("acked_seq", Long.toString(upTo));
        });
        ackedSeq = upTo;
        backlogSum -= acked;
    }

    /** Rows up to {@code seq} went out on the wire (not yet acknowledged). */
    public void markSent(long seq) {
        tx("marking sent up to " + seq, () -> {
            try (PreparedStatement ps = db.prepareStatement("UPDATE journal SET state=? WHERE state=? AND seq<=?")) {
                ps.setInt(1, Schema.SENT);
                ps.setInt(2, Schema.PENDING);
                ps.setLong(3, seq);
                ps.executeUpdate();
            }
        });
    }

    /**
     * Rows the center has not acknowledged. O(1) plus one primary-key lookup: it is read on every
     * card decision (the unsynced caps), however long the backlog.
     */
    public Backlog backlog() {
        long oldest = ackedSeq >= lastSeq ? 0
                : queryLong("reading the oldest unacknowledged row", "SELECT time_ms FROM journal WHERE seq=?", ackedSeq + 1);
        return new Backlog(lastSeq - ackedSeq, backlogSum, oldest, lastSeq, ackedSeq);
    }

    /** Money of rows in (fromSeq, toSeq]: sales minus reversals. */
    private long netAmount(long fromSeq, long toSeq) {
        return queryLong("summing journal rows " + fromSeq + ".." + toSeq,
                "SELECT COALESCE(SUM(CASE kind WHEN ? THEN amount_fen WHEN ? THEN -amount_fen ELSE 0 END),0)"
                        + " FROM journal WHERE seq>? AND seq<=?",
                RowKind.SALE_VALUE, RowKind.REVERSAL_VALUE, fromSeq, toSeq);
    }

    private static long netAmount(JournalRow r) {
        return switch (r.getKind()) {
            case SALE -> r.getAmountFen();
            case REVERSAL -> -r.getAmountFen();
            default -> 0;
        };
    }

    // ---- meta ---------------------------------------------------------------------------------

    public Optional<String> meta(String key) {
        try (PreparedStatement ps = db.prepareStatement("SELECT value FROM meta WHERE key=?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw StoreException.wrap("reading meta " + key, e);
        }
    }

    public void setMeta(String key, String value) {
        tx("writing meta " + key, () -> putMeta(key, value));
    }

    private void putMeta(String key, String value) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO meta(key,value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }

    public int pinFailures(long accountId) {
        return (int) queryLong("reading PIN tries", "SELECT COALESCE((SELECT failures FROM pin_tries WHERE account_id=?),0)", accountId);
    }

    public void setPinFailures(long accountId, int failures, long nowMs) {
        tx("recording PIN tries", () -> {
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO pin_tries(account_id,failures,last_ms) VALUES(?,?,?) ON CONFLICT(account_id)"
                            + " DO UPDATE SET failures=excluded.failures, last_ms=excluded.last_ms")) {
                ps.setLong(1, accountId);
                ps.setInt(2, failures);
                ps.setLong(3, nowMs);
                ps.executeUpdate();
            }
        });
    }

    /** Runs a PRAGMA on the writer connection (fault tests: max_page_count, query_only). */
    void pragma(String pragma) {
        try (Statement st = db.createStatement()) {
            st.execute("PRAGMA " + pragma);
        } catch (SQLException e) {
            throw StoreException.wrap("PRAGMA " + pragma, e);
        }
    }

    long pageCount() {
        return scalar("PRAGMA page_count");
    }

    private long scalar(String sql) {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw StoreException.wrap("running " + sql, e);
        }
    }

    private interface Work {
        void run() throws SQLException;
    }

    private void tx(String doing, Work w) {
        try {
            db.setAutoCommit(false);
            try {
                w.run();
                db.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    db.rollback();
                } catch (SQLException re) {
                    e.addSuppressed(re);
                }
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            StoreException se = StoreException.wrap(doing + " in " + file, e);
            if (se.kind() == StoreException.Kind.IO && outOfSpace()) {
                // SQLite sometimes reports a full disk only as a failed commit; name the real cause.
                se = new StoreException(StoreException.Kind.DISK_FULL, doing + " in " + file + ": database or disk is full", e);
            }
            throw se;
        }
    }

    private boolean outOfSpace() {
        if (file.toAbsolutePath().getParent().toFile().getUsableSpace() < 1024 * 1024) {
            return true;
        }
        try (Statement st = db.createStatement();
             ResultSet a = st.executeQuery("SELECT (SELECT page_count FROM pragma_page_count()) >= (SELECT max_page_count FROM pragma_max_page_count())")) {
            return a.next() && a.getInt(1) == 1;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            log.debug("closing store {}", file, e);
        }
    }
}
