package com.onecard.pos.bench;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.auth.AuthRequestFacts;
import com.onecard.pos.terminal.auth.Authorizer;
import com.onecard.pos.terminal.auth.Decision;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.terminal.sale.SaleFacts;
import com.onecard.pos.terminal.store.Store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.HexFormat;

/**
 * authorize + durable commit without serial: the facts the sale flow gathers from the store, the
 * offline decision, and {@link Store#append} (WAL, synchronous=FULL), on a temp file. Baseline: a
 * plain one-row INSERT + COMMIT with the same pragmas on the same disk in the same run.
 */
final class StoreBench {
    static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    static final long ACCOUNT = 1001;
    static final byte[] UID = HexFormat.of().parseHex("04a1b2c3");
    static final Authorizer AUTHORIZER = new Authorizer(Policies.auth());

    private final Path dir;
    private final int samples;
    private final int warmup;
    private final int pendingRows;

    StoreBench(Path dir, int samples, int warmup, int pendingRows) {
        this.dir = dir;
        this.samples = samples;
        this.warmup = warmup;
        this.pendingRows = pendingRows;
    }

    void run(Report report) throws Exception {
        Figure base = sqliteBaseline();
        report.add(base);
        Figure zero = authorizeCommit("authorize_commit_ms", 0);
        report.add(zero.against(base));
        Figure pending = authorizeCommit("authorize_commit_100k_pending_ms", pendingRows);
        report.add(pending.against(zero).withNote(String.format("%,d pending rows; baseline = authorize_commit_ms (0 pending)",
                pendingRows)));
    }

    Figure sqliteBaseline() throws Exception {
        Path f = Files.createTempFile(dir, "baseline", ".db");
        Files.delete(f);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f.toAbsolutePath())) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=FULL");
                st.execute("PRAGMA busy_timeout=5000");
                st.execute("PRAGMA foreign_keys=ON");
                st.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b BLOB NOT NULL)");
            }
            double[] s = new double[samples];
            byte[] blob = new byte[64];
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t(a,b) VALUES(?,?)")) {
                for (int i = -warmup; i < samples; i++) {
                    long t0 = System.nanoTime();
                    ps.setLong(1, i);
                    ps.setBytes(2, blob);
                    ps.executeUpdate();
                    c.commit();
                    long t1 = System.nanoTime();
                    if (i >= 0) {
                        s[i] = (t1 - t0) / 1e6;
                    }
                }
            }
            return Figure.of("sqlite_insert_commit_ms", s, "ms", null);
        }
    }

    Figure authorizeCommit(String name, int pendingRows) throws Exception {
        Path f = Files.createTempFile(dir, "store", ".db");
        Files.delete(f);
        if (pendingRows > 0) {
            // the backlog belongs to other cards: it loads the backlog count, not this card's daily sums
            JournalFiller.fill(f, SECRET, "T01", ACCOUNT + 1, HexFormat.of().parseHex("04ffeedd"), pendingRows);
        }
        try (Store store = Store.open(f, SECRET)) {
            store.accounts().applyAccount(AccountUpdate.newBuilder().setAccountId(ACCOUNT).setCardUid(ByteString.copyFrom(UID))
                    .setCardSerial(1).setHolderName("Bench Student").setStatus(AccountStatus.ACTIVE)
                    .setSubsidyFen(1_000_000_000L).setCashFen(1_000_000_000L).setVersion(1).setAppliedSeq(0).build(), 1);
            double[] s = new double[samples];
            ZoneId zone = ZoneId.systemDefault();
            for (int i = -warmup; i < samples; i++) {
                long t0 = System.nanoTime();
                AuthRequestFacts facts = facts(store, 100, zone);
                Decision d = AUTHORIZER.decideOffline(facts);
                if (!d.approved()) {
                    throw new IllegalStateException(name + ": bench sale declined: " + d.reason());
                }
                store.append(JournalRow.newBuilder().setKind(RowKind.SALE).setSaleId("T01-" + i)
                        .setTimeMs(System.currentTimeMillis()).setCardUid(ByteString.copyFrom(UID)).setAccountId(ACCOUNT)
                        .setAmountFen(100).setSubsidyFen(d.debit().subsidyFen()).setCashFen(d.debit().cashFen())
                        .setMode(AuthMode.OFFLINE).setMealPeriod("").build());
                long t1 = System.nanoTime();
                if (i >= 0) {
                    s[i] = (t1 - t0) / 1e6;
                }
            }
            return Figure.of(name, s, "ms", "p99 <= 5 ms");
        }
    }

    /** The sale flow's own fact gathering for a card tap (no meal period, no PIN). */
    static AuthRequestFacts facts(Store store, long amountFen, ZoneId zone) {
        CardTap tap = new CardTap(UID, 4, 8, CardTap.CampusRead.NOT_ATTEMPTED, new byte[0], java.time.Instant.now());
        return new SaleFacts(store, null, java.time.Clock.system(zone)).gather(tap, amountFen, null, null, false, null);
    }
}
