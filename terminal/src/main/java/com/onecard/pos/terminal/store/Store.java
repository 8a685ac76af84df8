package com.onecard.pos.terminal.store;

import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.journal.HmacJournalSealer;
import com.onecard.pos.terminal.journal.Journal;
import com.onecard.pos.terminal.journal.JournalSealer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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
    private final Db db;
    private final AccountCache accounts;
    private final PaycodeStore paycodes;
    private final PhotoCache photos;
    private final AuditLog audit;
    private final JournalSealer mac;
    private final StoreJournal journal;
    private final JournalArchive archive;
    private final JournalAnchor anchor;
    private byte[] journalId;
    private volatile long lastSeq;
    private byte[] lastMac;
    private volatile long ackedSeq;
    /** Money of the unacknowledged rows, kept up to date so that no decision sums the backlog. */
    private long backlogSum;

    private Store(Path file, Db db, JournalSealer mac, java.time.ZoneId zone) {
        this.file = file;
        this.archive = new JournalArchive(file, zone);
        this.db = db;
        this.accounts = new AccountCache(db);
        this.anchor = new JournalAnchor(file);
        this.paycodes = new PaycodeStore(db);
        this.photos = new PhotoCache(db);
        this.audit = new AuditLog(db);
        this.mac = mac;
        this.journal = new StoreJournal(this, db);
    }

    /** The journal port of the sale flow: builds, seals and commits rows, one transaction per decision. */
    public Journal journal() {
        return journal;
    }

    /** Accounts, blacklist, stream cursors and card-password tries. */
    public AccountCache accounts() {
        return accounts;
    }

    /** Payment-code issuer keys, revocations and the replay cache. */
    public PaycodeStore paycodes() {
        return paycodes;
    }

    /** The holders' photos for the cashier's side of the screen. */
    public PhotoCache photos() {
        return photos;
    }

    /** Who changed what: state-changing commands with their sender. */
    public AuditLog audit() {
        return audit;
    }

    /** Opens (creating if needed) and migrates the store, sealing rows with an in-memory HMAC key. */
    public static Store open(Path file, byte[] terminalSecret) {
        return open(file, new HmacJournalSealer(terminalSecret));
    }

    /** Opens (creating if needed) and migrates the store; rows are sealed by {@code sealer}. */
    public static Store open(Path file, JournalSealer sealer) {
        return open(file, sealer, java.time.ZoneId.systemDefault());
    }

    /**
     * Opens (creating if needed) and migrates the store; rows are sealed by {@code sealer};
     * archived rows are filed by month in {@code zone} (the terminal clock's).
     */
    public static Store open(Path file, JournalSealer sealer, java.time.ZoneId zone) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Store s = new Store(file, new Db(file), sealer, zone);
            s.migrate();
            s.loadHead();
            s.checkJournalKey();
            s.loadJournalId();
            s.accounts.load();
            s.paycodes.load();
            s.audit.prune();
            return s;
        } catch (SQLException e) {
            throw StoreException.wrap("opening store " + file, e);
        } catch (java.io.IOException e) {
            throw new StoreException(StoreException.Kind.IO, "creating data folder for " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    private void migrate() throws SQLException {
        int version;
        try (Statement st = db.db.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
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
            try (Statement st = db.db.createStatement()) {
                st.execute("VACUUM INTO '" + backup.toAbsolutePath().toString().replace("'", "''") + "'");
            }
            log.info("store {}: backed up schema v{} to {} before migrating", file, version, backup);
        }
        db.db.setAutoCommit(false);
        try (Statement st = db.db.createStatement()) {
            for (int v = version; v < Schema.latest(); v++) {
                for (String sql : Schema.MIGRATIONS.get(v)) {
                    st.execute(sql);
                }
            }
            st.execute("PRAGMA user_version=" + Schema.latest());
            db.db.commit();
        } catch (SQLException e) {
            db.db.rollback();
            throw e;
        } finally {
            db.db.setAutoCommit(true);
        }
        log.info("store {}: schema migrated v{} -> v{}", file, version, Schema.latest());
    }

    private void loadHead() throws SQLException {
        ChainPoint start = ChainWalk.start(db.db, mac);
        lastSeq = start.seq();
        lastMac = start.mac();
        try (Statement st = db.db.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq, mac FROM journal ORDER BY seq DESC LIMIT 1")) {
            if (rs.next()) {
                lastSeq = rs.getLong(1);
                lastMac = rs.getBytes(2);
            }
        }
        ackedSeq = Long.parseLong(meta("acked_seq").orElse("0"));
        backlogSum = netAmount(ackedSeq, lastSeq);
    }

    /** Meta keys: this journal's id (made with the database), the head recorded with each append. */
    static final String JOURNAL_ID = "journal_id";
    static final String JOURNAL_HEAD = "journal_head";

    private void loadJournalId() {
        Optional<String> id = meta(JOURNAL_ID);
        if (id.isPresent()) {
            journalId = JournalAnchor.unhex(id.get());
        } else {
            journalId = JournalAnchor.newJournalId();
            setMeta(JOURNAL_ID, JournalAnchor.hex(journalId));
        }
    }

    /**
     * Checks that this database is the journal this terminal writes and reaches the head last
     * written to its anchor file outside the database ({@link JournalAnchor}), and that it holds
     * every row its own head record names; then records the head in the anchor (the first start
     * with an anchor makes it). Call once at start, before any append.
     *
     * @return the problem (rows deleted from the end, an older copy restored, another journal,
     *         a rewritten row), or empty
     */
    public Optional<String> checkAnchor() {
        long ownHead = Long.parseLong(meta(JOURNAL_HEAD).orElse("0"));
        try {
            ChainPoint start = ChainWalk.start(db.db, mac);
            Optional<String> problem = anchor.check(journalId, lastSeq, ownHead, seq -> {
                if (seq == start.seq()) {
                    return start.mac();
                }
                return seq < start.seq() ? null : row(seq).map(r -> r.getMac().toByteArray()).orElse(null);
            });
            if (problem.isEmpty() && ownHead > lastSeq) {
                problem = Optional.of("rows " + (lastSeq + 1) + ".." + ownHead + " were deleted from the end of the journal in "
                        + file.getFileName() + " (its own head record says seq " + ownHead + ")");
            }
            if (problem.isEmpty()) {
                anchor.write(journalId, lastSeq, lastMac);
            }
            return problem;
        } catch (java.io.IOException e) {
            throw new StoreException(StoreException.Kind.IO, "reading the journal anchor " + anchor.file() + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw StoreException.wrap("checking the journal anchor of " + file, e);
        }
    }

    /** This journal's id (hex), as made with the database. */
    public String journalId() {
        return JournalAnchor.hex(journalId);
    }

    /** Meta key of the journal key's check value, recorded when the journal is created. */
    static final String JOURNAL_KEY_KCV = "journal_key_kcv";

    /**
     * Tells a wrong journal key from an edited journal: the check value of the key this journal
     * was written with is kept in the store; a key with another check value is refused before any
     * row is judged. A journal from before check values gets it recorded when its first row
     * verifies with the key in use.
     *
     * @throws StoreException WRONG_KEY naming both check values
     */
    private void checkJournalKey() {
        String inUse = mac.keyCheckValue();
        Optional<String> recorded = meta(JOURNAL_KEY_KCV);
        if (recorded.isPresent()) {
            if (!recorded.get().equals(inUse)) {
                throw new StoreException(StoreException.Kind.WRONG_KEY, "the journal key in use (check value " + inUse
                        + ") is not the key journal " + file + " was written with (check value " + recorded.get()
                        + "): the key token belongs to another terminal or was provisioned anew. Nothing in the journal"
                        + " was judged; put back this terminal's token, or ask the card center (docs/operations.md)", null);
            }
            return;
        }
        if (lastSeq == 0 || firstRowVerifies()) {
            setMeta(JOURNAL_KEY_KCV, inUse);
        }
    }

    /** The first row in this file (after the archive boundary) verifies with the key in use. */
    private boolean firstRowVerifies() {
        try {
            ChainPoint from = ChainWalk.start(db.db, mac);
            return row(from.seq() + 1).map(r -> mac.verifies(from.mac(), r)).orElse(false);
        } catch (SQLException | StoreException e) {
            return false;
        }
    }

    /**
     * Walks the whole journal in this file (from the archive boundary, if rows were archived) and
     * checks the MAC chain and the sequence. Returns the first problem found, or empty when the
     * journal is intact. Takes time in proportion to the journal: not for the terminal thread
     * while it sells ({@link JournalVerifier} does it on its own connection).
     */
    public Optional<String> verifyChain() {
        try {
            var r = ChainWalk.walk(db.db, mac, ChainWalk.start(db.db, mac));
            return Optional.ofNullable(r.problem());
        } catch (SQLException e) {
            throw StoreException.wrap("verifying journal chain in " + file, e);
        } catch (StoreException e) {
            if (e.kind() == StoreException.Kind.CORRUPT) {
                return Optional.of(e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Checks the chain from the last verified checkpoint to the head (at start: the rows written
     * since the last check) and moves the checkpoint to the head. The report's problem is null
     * when the journal is intact.
     */
    public JournalVerifier.Report verifyFromCheckpoint() {
        long t0 = System.nanoTime();
        ChainPoint from = ChainPoint.genesis();
        try {
            from = ChainWalk.checkpoint(db.db, mac, ChainWalk.start(db.db, mac));
            if (from.seq() > lastSeq) {
                return new JournalVerifier.Report(from, from, 0, "journal ends at seq " + lastSeq + " but was verified up to seq "
                        + from.seq() + ": rows were removed or the file rolled back", ms(t0));
            }
            var r = ChainWalk.walk(db.db, mac, from);
            if (r.ok()) {
                saveCheckpoint(r.head());
            }
            return new JournalVerifier.Report(from, r.head(), r.rows(), r.problem(), ms(t0));
        } catch (SQLException e) {
            throw StoreException.wrap("verifying journal chain in " + file, e);
        } catch (StoreException e) {
            if (e.kind() == StoreException.Kind.CORRUPT) {
                return new JournalVerifier.Report(from, from, 0, e.getMessage(), ms(t0));
            }
            throw e;
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Records that the chain verified up to {@code p} (tagged, so it cannot be moved without the key). */
    public void saveCheckpoint(ChainPoint p) {
        try {
            ChainPoint have = ChainWalk.checkpoint(db.db, mac, ChainPoint.genesis());
            if (p.seq() <= have.seq()) {
                return;
            }
        } catch (SQLException e) {
            throw StoreException.wrap("reading the journal checkpoint", e);
        } catch (StoreException e) {
            log.warn("journal checkpoint replaced after a fresh verification: {}", e.getMessage());
        }
        db.tx("saving journal checkpoint at seq " + p.seq(), () -> putMeta(ChainWalk.CHECKPOINT_KEY, ChainWalk.encode(p, mac)));
    }

    // ---- accounts and blacklist -------------------------------------------------------------








    /**
     * This terminal's own debits on the account that the center's balance does not include yet:
     * card and payment-code sales after {@code appliedSeq} minus reversals after it. QR sales are
     * settled at the center when paid, so they are never in the overlay.
     */
    public Purses overlay(long accountId, long appliedSeq) {
        String sql = "SELECT COALESCE(SUM(CASE kind WHEN ? THEN subsidy_fen WHEN ? THEN subsidy_fen WHEN ? THEN -subsidy_fen ELSE 0 END),0),"
                + " COALESCE(SUM(CASE kind WHEN ? THEN cash_fen WHEN ? THEN cash_fen WHEN ? THEN -cash_fen ELSE 0 END),0)"
                + " FROM journal WHERE account_id=? AND seq>?";
        try (PreparedStatement ps = db.prepare(sql)) {
            ps.setInt(1, RowKind.SALE_VALUE);
            ps.setInt(2, RowKind.PAYCODE_SALE_VALUE);
            ps.setInt(3, RowKind.REVERSAL_VALUE);
            ps.setInt(4, RowKind.SALE_VALUE);
            ps.setInt(5, RowKind.PAYCODE_SALE_VALUE);
            ps.setInt(6, RowKind.REVERSAL_VALUE);
            ps.setLong(7, accountId);
            ps.setLong(8, appliedSeq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Purses(rs.getLong(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw StoreException.wrap("computing overlay for account " + accountId, e);
        }
    }

    /**
     * A card's day at this terminal, from its journal rows of the day (one index range lookup on
     * {@code journal_account_time}): offline spend and all spend, net of reversals, and its sales
     * in the meal period window that were not reversed.
     *
     * @param dayFromMs   start of the day, epoch ms (inclusive)
     * @param dayToMs     end of the day, epoch ms (exclusive)
     * @param periodFromMs start of the meal period window (inclusive); equal to {@code periodToMs} when none
     * @param periodToMs  end of the meal period window (exclusive)
     */
    public CardDay cardDay(long accountId, long dayFromMs, long dayToMs, long periodFromMs, long periodToMs) {
        // a payment-code sale is decided offline here like a card sale: it counts wherever a card sale does
        String sql = "SELECT"
                + " COALESCE(SUM(CASE WHEN s.mode=? THEN (CASE WHEN s.kind IN (?,?) THEN s.amount_fen WHEN s.kind=? THEN -s.amount_fen ELSE 0 END) ELSE 0 END),0),"
                + " COALESCE(SUM(CASE WHEN s.kind IN (?,?,?) THEN s.amount_fen WHEN s.kind=? THEN -s.amount_fen ELSE 0 END),0),"
                + " COALESCE(SUM(CASE WHEN s.kind IN (?,?,?) AND s.time_ms>=? AND s.time_ms<?"
                + "   AND NOT EXISTS (SELECT 1 FROM journal r WHERE r.reverses_seq=s.seq AND r.reverses_seq>0 AND r.kind=?)"
                + "   THEN 1 ELSE 0 END),0)"
                + " FROM journal s WHERE s.account_id=? AND s.time_ms>=? AND s.time_ms<?";
        try (PreparedStatement ps = db.prepare(sql)) {
            int i = 1;
            ps.setInt(i++, com.onecard.pos.sync.proto.AuthMode.OFFLINE_VALUE);
            ps.setInt(i++, RowKind.SALE_VALUE);
            ps.setInt(i++, RowKind.PAYCODE_SALE_VALUE);
            ps.setInt(i++, RowKind.REVERSAL_VALUE);
            ps.setInt(i++, RowKind.SALE_VALUE);
            ps.setInt(i++, RowKind.QR_SALE_VALUE);
            ps.setInt(i++, RowKind.PAYCODE_SALE_VALUE);
            ps.setInt(i++, RowKind.REVERSAL_VALUE);
            ps.setInt(i++, RowKind.SALE_VALUE);
            ps.setInt(i++, RowKind.QR_SALE_VALUE);
            ps.setInt(i++, RowKind.PAYCODE_SALE_VALUE);
            ps.setLong(i++, periodFromMs);
            ps.setLong(i++, periodToMs);
            ps.setInt(i++, RowKind.REVERSAL_VALUE);
            ps.setLong(i++, accountId);
            ps.setLong(i++, dayFromMs);
            ps.setLong(i, dayToMs);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new CardDay(rs.getLong(1), rs.getLong(2), (int) rs.getLong(3));
            }
        } catch (SQLException e) {
            throw StoreException.wrap("reading the day of account " + accountId, e);
        }
    }

    // ---- journal ------------------------------------------------------------------------------

    /**
     * Appends a row: assigns the next sequence, chains the MAC, commits with fsync. The row passed
     * in carries everything but seq and the MACs. Returns the row as stored.
     */
    public JournalRow append(JournalRow row) {
        return appendAll(List.of(row), null).get(0);
    }

    /**
     * Appends rows and runs {@code alsoInTx} in the same transaction (one fsync for all of it).
     * The in-memory head moves only after the commit.
     */
    List<JournalRow> appendAll(List<JournalRow> rows, Db.Work alsoInTx) {
        List<JournalRow> sealed = new ArrayList<>(rows.size());
        byte[] prev = lastMac;
        long seq = lastSeq;
        for (JournalRow r : rows) {
            JournalRow s = mac.seal(prev, r.toBuilder().setSeq(++seq).build());
            sealed.add(s);
            prev = s.getMac().toByteArray();
        }
        String doing = sealed.isEmpty() ? "recording a decision" : "appending journal row " + sealed.get(0).getSeq();
        long head = seq;
        db.tx(doing, () -> {
            if (!sealed.isEmpty()) {
                try (PreparedStatement ps = db.prepare(JournalRows.INSERT)) {
                    for (JournalRow s : sealed) {
                        JournalRows.bind(ps, s);
                        ps.executeUpdate();
                    }
                }
            }
            if (!sealed.isEmpty()) {
                putMeta(JOURNAL_HEAD, Long.toString(head));
            }
            if (alsoInTx != null) {
                alsoInTx.run();
            }
        });
        for (JournalRow s : sealed) {
            backlogSum += netAmount(s);
        }
        lastSeq = seq;
        lastMac = prev;
        if (!sealed.isEmpty()) {
            try {
                anchor.write(journalId, lastSeq, lastMac);
            } catch (java.io.IOException e) {
                log.warn("journal anchor {} not updated to seq {}: {} (the center keeps its own copy of the head)",
                        anchor.file(), lastSeq, e.getMessage());
            }
        }
        return sealed;
    }

    public void recordDecline(long timeMs, String saleId, byte[] uid, long accountId, long amountFen, String reason, String period) {
        db.tx("recording decline " + saleId, () -> insertDecline(timeMs, saleId, uid, accountId, amountFen, reason, period));
    }

    void insertDecline(long timeMs, String saleId, byte[] uid, long accountId, long amountFen, String reason, String period)
            throws SQLException {
        try (PreparedStatement ps = db.prepare(
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
    }

    /** A journal row by sequence, from this file or, when archived, from its month's archive. */
    public Optional<JournalRow> row(long seq) {
        try (PreparedStatement ps = db.prepare(JournalRows.SELECT + " WHERE seq=?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(JournalRows.read(rs));
                }
            }
            return seq <= archivedThrough() ? Optional.ofNullable(archive.row(seq)) : Optional.empty();
        } catch (SQLException e) {
            throw StoreException.wrap("reading journal row " + seq, e);
        }
    }

    /**
     * Rows in a time window, oldest first (journal export, settlement), archived months included.
     */
    public List<JournalRow> rowsBetween(long fromMs, long toMs, int limit) {
        List<JournalRow> out = new ArrayList<>(archivedThrough() > 0 ? archive.rowsBetween(fromMs, toMs, limit) : List.of());
        try (PreparedStatement ps = db.prepare(JournalRows.SELECT + " WHERE time_ms>=? AND time_ms<? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, fromMs);
            ps.setLong(2, toMs);
            ps.setInt(3, limit - out.size());
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
        try (PreparedStatement ps = db.prepare(JournalRows.SELECT + " WHERE seq>? ORDER BY seq")) {
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
        try (PreparedStatement ps = db.prepare(
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
        try (PreparedStatement ps = db.prepare(
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
        try (Statement st = db.db.createStatement(); ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
            return rs.next() ? rs.getString(1) : "no answer";
        } catch (SQLException e) {
            throw StoreException.wrap("checking " + file, e);
        }
    }

    /** True when a QR sale with this token is already in the journal (the partial index journal_qr_token). */
    public boolean qrTokenJournaled(String token) {
        return !token.isEmpty() && db.queryLong("looking up QR token",
                "SELECT COUNT(*) FROM journal WHERE qr_token=? AND qr_token<>'' AND kind=?", token, RowKind.QR_SALE_VALUE) > 0;
    }

    public long lastSeq() {
        return lastSeq;
    }

    public long ackedSeq() {
        return ackedSeq;
    }

    /**
     * The center has durably applied every row up to {@code seq}: the watermark moves (the
     * journal rows themselves are not written), and when it happened is kept for retention.
     */
    public void acknowledge(long seq, long nowMs) {
        long upTo = Math.min(seq, lastSeq);
        if (upTo <= ackedSeq) {
            return;
        }
        long acked = netAmount(ackedSeq, upTo);
        db.tx("acknowledging up to " + upTo, () -> {
            putMeta("acked_seq", Long.toString(upTo));
            try (PreparedStatement ps = db.prepare("INSERT OR REPLACE INTO acks(seq,time_ms) VALUES(?,?)")) {
                ps.setLong(1, upTo);
                ps.setLong(2, nowMs);
                ps.executeUpdate();
            }
        });
        ackedSeq = upTo;
        backlogSum -= acked;
    }

    /**
     * Rows the center has not acknowledged. O(1) plus one primary-key lookup: it is read on every
     * card decision (the unsynced caps), however long the backlog.
     */
    public Backlog backlog() {
        long oldest = ackedSeq >= lastSeq ? 0
                : db.queryLong("reading the oldest unacknowledged row", "SELECT time_ms FROM journal WHERE seq=?", ackedSeq + 1);
        return new Backlog(lastSeq - ackedSeq, backlogSum, oldest, lastSeq, ackedSeq);
    }

    /** Money of rows in (fromSeq, toSeq]: sales minus reversals. */
    private long netAmount(long fromSeq, long toSeq) {
        return db.queryLong("summing journal rows " + fromSeq + ".." + toSeq,
                "SELECT COALESCE(SUM(CASE kind WHEN ? THEN amount_fen WHEN ? THEN amount_fen WHEN ? THEN -amount_fen ELSE 0 END),0)"
                        + " FROM journal WHERE seq>? AND seq<=?",
                RowKind.SALE_VALUE, RowKind.PAYCODE_SALE_VALUE, RowKind.REVERSAL_VALUE, fromSeq, toSeq);
    }

    private static long netAmount(JournalRow r) {
        return switch (r.getKind()) {
            case SALE, PAYCODE_SALE -> r.getAmountFen();
            case REVERSAL -> -r.getAmountFen();
            default -> 0;
        };
    }

    // ---- retention ----------------------------------------------------------------------------

    /** The last archived row's sequence (0 when nothing was archived): this file's journal starts after it. */
    public long archivedThrough() {
        try {
            return ChainWalk.start(db.db, mac).seq();
        } catch (SQLException e) {
            throw StoreException.wrap("reading the archive boundary", e);
        }
    }

    /**
     * The highest sequence that may be archived now: acknowledged by the center at or before
     * {@code cutoffMs}, and verified (at or below the chain checkpoint). An unacknowledged row is
     * never archived.
     */
    public long archivableThrough(long cutoffMs) {
        try {
            long acked = db.queryLong("reading acknowledgements", "SELECT COALESCE(MAX(seq),0) FROM acks WHERE time_ms<=?", cutoffMs);
            long verified = ChainWalk.checkpoint(db.db, mac, ChainWalk.start(db.db, mac)).seq();
            return Math.min(Math.min(acked, ackedSeq), verified);
        } catch (SQLException e) {
            throw StoreException.wrap("reading the journal checkpoint", e);
        }
    }

    /**
     * Moves up to {@code maxRows} rows after the archive boundary and at or below {@code upTo}
     * into the monthly archive files (written and synced first), then deletes them here and moves
     * the boundary, in one transaction. Terminal thread (it writes).
     *
     * @return rows moved (0 when there is nothing to move)
     */
    public int archive(long upTo, int maxRows) {
        ChainPoint boundary;
        List<JournalRow> rows = new ArrayList<>();
        try {
            boundary = ChainWalk.start(db.db, mac);
            long to = Math.min(Math.min(upTo, ackedSeq), boundary.seq() + maxRows);
            if (to <= boundary.seq()) {
                return 0;
            }
            try (PreparedStatement ps = db.prepare(JournalRows.SELECT + " WHERE seq>? AND seq<=? ORDER BY seq")) {
                ps.setLong(1, boundary.seq());
                ps.setLong(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(JournalRows.read(rs));
                    }
                }
            }
        } catch (SQLException e) {
            throw StoreException.wrap("reading rows to archive from " + file, e);
        }
        if (rows.isEmpty()) {
            return 0;
        }
        if (rows.get(0).getSeq() != boundary.seq() + 1
                || !java.util.Arrays.equals(rows.get(0).getPrevMac().toByteArray(), boundary.mac())) {
            throw new StoreException(StoreException.Kind.CORRUPT, "journal row " + (boundary.seq() + 1)
                    + " does not follow the archive boundary (" + boundary + "); nothing archived", null);
        }
        archive.write(rows);
        JournalRow last = rows.get(rows.size() - 1);
        ChainPoint moved = new ChainPoint(last.getSeq(), last.getMac().toByteArray());
        db.tx("archiving journal rows " + rows.get(0).getSeq() + ".." + last.getSeq(), () -> {
            try (PreparedStatement del = db.prepare("DELETE FROM journal WHERE seq>? AND seq<=?")) {
                del.setLong(1, boundary.seq());
                del.setLong(2, last.getSeq());
                del.executeUpdate();
            }
            try (PreparedStatement del = db.prepare("DELETE FROM acks WHERE seq<?")) {
                del.setLong(1, last.getSeq());
                del.executeUpdate();
            }
            putMeta(ChainWalk.ARCHIVED_KEY, ChainWalk.encode(moved, mac));
        });
        log.info("journal rows {}..{} moved to the archive in {}", rows.get(0).getSeq(), last.getSeq(), archive.dir());
        return rows.size();
    }

    /** Every archived row, oldest first (tests and audits: the chain across the files). */
    public List<JournalRow> archivedRows() {
        return archive.all();
    }

    // ---- meta ---------------------------------------------------------------------------------

    public Optional<String> meta(String key) {
        try (PreparedStatement ps = db.prepare("SELECT value FROM meta WHERE key=?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw StoreException.wrap("reading meta " + key, e);
        }
    }

    public void setMeta(String key, String value) {
        db.tx("writing meta " + key, () -> putMeta(key, value));
    }

    void putMeta(String key, String value) throws SQLException {
        try (PreparedStatement ps = db.prepare(
                "INSERT INTO meta(key,value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }









    /** Transactions committed since open (tests: one per decision). */
    long commits() {
        return db.commits();
    }

    /** Every statement the writer connection prepares goes to {@code listener} too (query-plan tests). */
    void onPrepare(java.util.function.Consumer<String> listener) {
        db.onPrepare(listener);
    }

    /** Runs a PRAGMA on the writer connection (fault tests: max_page_count, query_only). */
    void pragma(String pragma) {
        db.pragma(pragma);
    }

    /** A PRAGMA's value on the writer connection (tests: journal_mode, synchronous). */
    String pragmaValue(String name) {
        try (Statement st = db.db.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : "";
        } catch (SQLException e) {
            throw StoreException.wrap("PRAGMA " + name, e);
        }
    }

    long pageCount() {
        return db.pageCount();
    }

    @Override
    public void close() {
        anchor.close();
        db.close();
    }
}
