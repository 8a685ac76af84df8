package com.onecard.pos.bench;

import com.google.protobuf.ByteString;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.terminal.config.ConfigException;
import com.onecard.pos.terminal.config.ConfigLoader;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.sale.QrIssuer;
import com.onecard.pos.terminal.sale.SaleFlow;
import com.onecard.pos.terminal.sale.SaleOutcome;
import com.onecard.pos.terminal.sale.SaleSignals;
import com.onecard.pos.terminal.store.Store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * authorize + durable commit without serial, through the daemon's own sale flow: a card tap handed
 * to {@link SaleFlow#onTap} (facts gathered, policy screened, offline decision, one commit with
 * WAL and synchronous=FULL) until its outcome is signalled, on a busy window's configuration (meal
 * periods, PIN threshold), with a new journal and with a year of history. Runs in a JVM with the
 * daemon's flags. Baseline: a plain one-row INSERT + COMMIT with the same pragmas on the same disk
 * in the same run.
 */
final class StoreBench {
    static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    /** Bench cards taken in turn (a card may buy up to 99 meals in a period). */
    static final int CARDS = 50;

    private final Path dir;
    private final int samples;
    private final int warmup;
    private final int historyRows;

    StoreBench(Path dir, int samples, int warmup, int historyRows) {
        this.dir = dir;
        this.samples = samples;
        this.warmup = warmup;
        this.historyRows = historyRows;
    }

    void run(Report report) throws Exception {
        Figure base = sqliteBaseline();
        report.add(base);
        Figure zero = authorizeCommit("authorize_commit_ms", 0);
        report.add(zero.against(base).withNote("busy window (meal periods, PIN threshold), new journal; "
                + String.join(" ", com.onecard.pos.terminal.app.DaemonJvm.options())));
        String sfx = TapBench.rowsLabel(historyRows);
        Figure year = authorizeCommit("authorize_commit" + sfx + "_ms", historyRows);
        report.add(year.against(zero).withNote(String.format("%,d journal rows of a year (%,d accounts, this card's included); "
                + "baseline = authorize_commit_ms (new journal)", historyRows, TapBench.OTHER_ACCOUNTS + CARDS)));
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

    Figure authorizeCommit(String name, int rows) throws Exception {
        Path d = Files.createTempDirectory(dir, "store");
        Path f = d.resolve("terminal.db");
        List<YearOfSales.Account> accounts = new ArrayList<>();
        for (int i = 0; i < CARDS; i++) {
            accounts.add(new YearOfSales.Account(1000 + i, new byte[]{0x04, (byte) 0xA1, (byte) 0xB2, (byte) i}));
        }
        for (int i = 0; i < (rows == 0 ? 0 : TapBench.OTHER_ACCOUNTS); i++) {
            accounts.add(new YearOfSales.Account(40_000 + i, new byte[]{0x08, (byte) (i >> 8), (byte) i, 0x6B}));
        }
        Clock clock = Clock.systemDefaultZone();
        YearOfSales.seed(f, SECRET, "T01", accounts, rows, null, clock);
        TerminalConfig cfg = config(d);
        try (Store store = Store.open(f, SECRET)) {
            List<AccountUpdate> updates = new ArrayList<>();
            for (YearOfSales.Account a : accounts) {
                updates.add(AccountUpdate.newBuilder().setAccountId(a.id()).setCardUid(ByteString.copyFrom(a.uid()))
                        .setCardSerial(1).setHolderName("Student " + a.id()).setStatus(AccountStatus.ACTIVE)
                        .setSubsidyFen(1_000_000_000L).setCashFen(1_000_000_000L).setVersion(1).setAppliedSeq(rows).build());
            }
            store.accounts().applyAccounts(updates, 1);
            SaleOutcome[] last = new SaleOutcome[1];
            SaleFlow flow = new SaleFlow(cfg, store, null, null, new QrIssuer(cfg.terminal(), new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256")), signals(last), Runnable::run, clock);
            double[] s = new double[samples];
            for (int i = -warmup; i < samples; i++) {
                flow.begin(850, null);
                byte[] uid = accounts.get(Math.floorMod(i, CARDS)).uid();
                CardTap tap = new CardTap(uid, 4, 8, CardTap.CampusRead.NOT_ATTEMPTED, new byte[0], clock.instant());
                long t0 = System.nanoTime();
                flow.onTap(tap);
                long t1 = System.nanoTime();
                if (last[0] == null || !last[0].approved()) {
                    throw new IllegalStateException(name + ": bench sale not approved: " + last[0]);
                }
                last[0] = null;
                if (i >= 0) {
                    s[i] = (t1 - t0) / 1e6;
                }
            }
            return Figure.of(name, s, "ms", "p99 <= 5 ms");
        }
    }

    private static TerminalConfig config(Path dir) throws ConfigException {
        Properties p = new Properties();
        p.setProperty("terminal.id", "T01");
        p.setProperty("terminal.data-dir", dir.toString());
        p.setProperty("reader.driver", "none");
        p.setProperty("reader.require-credential", "false");
        p.setProperty("auth.mode", "offline-only");
        p.setProperty("auth.offline.daily-per-card-fen", "100000000");
        p.setProperty("auth.offline.max-unsynced-count", "1000000");
        p.setProperty("auth.offline.max-unsynced-fen", "100000000");
        p.setProperty("control.socket", dir.resolve("control.sock").toString());
        p.setProperty("display.kind", "none");
        Canteen.BUSY_WINDOW.forEach(p::setProperty);
        return ConfigLoader.parse(p, dir);
    }

    private static SaleSignals signals(SaleOutcome[] last) {
        return new SaleSignals() {
            @Override
            public void waitingForCard(String saleId, long amountFen) {
            }

            @Override
            public void outcome(SaleOutcome o) {
                last[0] = o;
            }

            @Override
            public void idle() {
            }

            @Override
            public void pinRequired(String saleId, long amountFen) {
            }

            @Override
            public void showQr(String saleId, long amountFen, String payload, long secondsLeft) {
            }

            @Override
            public void qrClosed(String token, String saleId) {
            }

            @Override
            public void message(String text) {
            }
        };
    }
}
