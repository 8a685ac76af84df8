package com.onecard.pos.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.issuer.CardIssuer;
import com.onecard.pos.reader.card.CardData;
import com.onecard.pos.center.Center;
import com.onecard.pos.center.CenterConfig;
import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.db.DatabaseConfig;
import com.onecard.pos.center.db.PrivatePostgres;
import com.onecard.pos.center.app.AppServiceConfig;
import com.onecard.pos.sim.app.CampusApp;
import com.onecard.pos.sim.app.StudentApp;
import com.onecard.pos.sim.reader.Pn532Emulator;
import com.onecard.pos.sim.reader.PtyPair;
import com.onecard.pos.sim.reader.ScannerEmulator;
import com.onecard.pos.sim.reader.VirtualCard;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.pin.PinVerifier;
import com.onecard.pos.sim.reader.KeypadEmulator;

import java.io.IOException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One simulated canteen: a private PostgreSQL cluster (or a given database), the real card
 * center and its app API on it, and one or more windows, each a real terminal daemon with a
 * PN532 emulator on its own pty pair; and students. Everything it starts is closed by
 * {@link #close()}.
 */
public final class Simulation implements AutoCloseable {
    public static final String TERMINAL = "T01";

    private final Path root;
    private final Path workdir;
    private final long seed;
    private final PrintStream out;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Verdict verdict = new Verdict();
    private final List<Window> windows = new ArrayList<>();
    private final Map<String, Duration> clockOffsets = new HashMap<>();
    private int terminalCount = 1;
    private int lightCount;
    private boolean keypads;
    private boolean scanners;
    private LightFleet lights;
    private String pricingPeriods = "";
    private Keys keys;
    private DatabaseConfig database;
    private PrivatePostgres postgres;
    private CenterConfig centerConfig;
    /** The TLS session ticket secret both center instances read (sync.ticket-secret-file, 0600). */
    private Path ticketSecretFile;
    private Center center;
    private int centerInstances = 1;
    private com.onecard.pos.sim.center.CenterProcess second;
    private com.onecard.pos.sim.center.Balancer balancer;
    private CampusApp campusApp;
    private AppServiceConfig appConfig;
    private CardIssuer issuer;
    private List<Student> students;
    private final Map<Long, Long> spent = new ConcurrentHashMap<>();
    private final Map<String, String> terminalSettings = new java.util.LinkedHashMap<>();
    private final Map<Long, Long> topups = new ConcurrentHashMap<>();
    final AtomicLong approvedLive = new AtomicLong();
    final AtomicLong declinedLive = new AtomicLong();
    private volatile boolean stopping;
    private boolean quietReady;
    private int leftLoggedOut;
    private final List<Student> loggedOut = new ArrayList<>();

    public Simulation(Path root, Path workdir, long seed, PrintStream out) {
        this.root = root;
        this.workdir = workdir.toAbsolutePath();
        this.seed = seed;
        this.out = out;
        verdict.seed = seed;
    }

    /**
     * The ledger's database on an existing PostgreSQL server instead of a private cluster; it
     * must be empty (the simulation opens its own accounts). Before {@link #setUp}.
     */
    public Simulation database(DatabaseConfig existing) {
        this.database = existing;
        return this;
    }

    /**
     * Center instances on the one database: 1, or 2 (the second in a process of its own that
     * {@link #killSecondCenter} can SIGKILL), with a balancer in front that spreads the terminals'
     * connections over them. Before {@link #setUp}.
     */
    public Simulation centerInstances(int n) {
        this.centerInstances = Math.max(1, Math.min(n, 2));
        return this;
    }

    /**
     * Leaves the last {@code n} ordinary card holders enrolled but not logged in to the app, for a
     * person or a browser to log in the manual's way (code, initial password, forced change);
     * before {@link #setUp}. They have no {@link #app} phone.
     */
    public Simulation leaveLoggedOut(int n) {
        this.leftLoggedOut = Math.max(0, n);
        return this;
    }

    /** The card holders {@link #leaveLoggedOut} left for a person or a browser. */
    public List<Student> loggedOut() {
        return List.copyOf(loggedOut);
    }

    /** Windows (terminal daemons) to start; before {@link #setUp}. */
    public Simulation terminals(int n) {
        this.terminalCount = Math.max(1, Math.min(n, 99));
        return this;
    }

    /** The terminals' {@code pricing.periods}; before {@link #setUp}. Empty: the cashier keys every amount. */
    public Simulation pricing(String periods) {
        this.pricingPeriods = periods;
        return this;
    }

    /** Runs one terminal's clock off by {@code offset}; before {@link #setUp}. */
    public Simulation clockOffset(String terminalId, Duration offset) {
        clockOffsets.put(terminalId, offset);
        return this;
    }

    /** A configuration key for every terminal daemon, over the simulator's own; before {@link #setUp}. */
    public Simulation terminalSetting(String key, String value) {
        terminalSettings.put(key, value);
        return this;
    }

    /**
     * Gives every window an emulated USB keypad (a FIFO of evdev records, the daemon's
     * {@code keypad.device}); before {@link #setUp}.
     */
    public Simulation keypads() {
        this.keypads = true;
        return this;
    }

    /**
     * Gives every window an emulated serial QR/barcode scanner on its own pty pair (the daemon's
     * {@code scanner.driver=scanner}); before {@link #setUp}.
     */
    public Simulation scanners() {
        this.scanners = true;
        return this;
    }

    /** In-JVM sync clients that only keep the blacklist; before {@link #setUp}. */
    public Simulation lightTerminals(int n) {
        this.lightCount = Math.max(0, n);
        return this;
    }

    /** The light terminals, or null when none were asked for. */
    public LightFleet lights() {
        return lights;
    }

    public int terminalCount() {
        return terminalCount;
    }

    public static String terminalId(int i) {
        return String.format("T%02d", i + 1);
    }

    public Verdict verdict() {
        return verdict;
    }

    public PrintStream out() {
        return out;
    }

    public long seed() {
        return seed;
    }

    /** The students' roster file in the work folder (written at set-up). */
    public Path roster() {
        return workdir.resolve("roster.tsv");
    }

    /** The first window's terminal. */
    public TerminalProcess terminal() {
        return windows.get(0).terminal();
    }

    public List<Window> windows() {
        return windows;
    }

    public Center center() {
        return center;
    }

    /** The student's phone with the campus app, logged in the real way at set-up. */
    public StudentApp app(Student s) {
        return campusApp.phone(s);
    }

    /** The simulated payment providers, the SMS inbox and the phones. */
    public CampusApp campusApp() {
        return campusApp;
    }

    public int appPort() {
        return center.appPort();
    }

    public List<Student> students() {
        return students;
    }

    /** Money the simulator saw approved per account. */
    public Map<Long, Long> spent() {
        return spent;
    }

    /** Fen credited to each account by the app's top-ups (set-up and scenarios), by account id. */
    public Map<Long, Long> toppedUp() {
        return topups;
    }

    public long approvedCount() {
        return approvedLive.get();
    }

    public long declinedCount() {
        return declinedLive.get();
    }

    public boolean stopping() {
        return stopping;
    }

    /** Asks running scenario loops to finish (Ctrl-C). */
    public void stop() {
        stopping = true;
    }

    /** Starts the first window's daemon again on the same configuration and data, and waits until it is ready. */
    public void restartTerminal() throws IOException {
        restartTerminal(windows.get(0));
    }

    public void restartTerminal(Window w) throws IOException {
        w.terminal().start(Duration.ofSeconds(30));
        awaitReady(w, Duration.ofSeconds(30));
    }

    /** Keys, center, app API, accounts, and the windows (pty pair, emulator, daemon each), ready for sales. */
    public void setUp(int students) throws IOException {
        verdict.terminals = terminalCount;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < terminalCount; i++) {
            ids.add(terminalId(i));
        }
        List<String> lightIds = new ArrayList<>();
        for (int i = 0; i < lightCount; i++) {
            lightIds.add(LightFleet.lightId(i));
        }
        List<String> all = new ArrayList<>(ids);
        all.addAll(lightIds);
        keys = Keys.provision(root, workdir.resolve("keys"), ids);
        if (!lightIds.isEmpty()) {
            Keys.provision(root, workdir.resolve("keys"), lightIds, false);
        }
        issuer = keys.issuer();
        if (database == null) {
            postgres = PrivatePostgres.start(workdir.resolve("pg"), true);
            try {
                postgres.createDatabase("onecard");
            } catch (SQLException e) {
                throw new IOException("creating the ledger database: " + e.getMessage(), e);
            }
            database = postgres.config("onecard", 16);
            out.printf("postgres    private cluster on 127.0.0.1:%d, data %s%n", postgres.port(), workdir.resolve("pg"));
        }
        // One TLS session ticket secret for both instances (sync.ticket-secret-file): a terminal that moves to the
        // other instance, or whose instance restarts, resumes its TLS session (docs/center.md).
        byte[] ticketSecret = new byte[32];
        new java.security.SecureRandom().nextBytes(ticketSecret);
        ticketSecretFile = workdir.resolve("sync-ticket.secret");
        java.nio.file.Files.deleteIfExists(ticketSecretFile);
        java.nio.file.Files.createFile(ticketSecretFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        java.nio.file.Files.writeString(ticketSecretFile, java.util.HexFormat.of().formatHex(ticketSecret));
        centerConfig = CenterConfig.of("127.0.0.1", 0, keys.ca(), keys.centerCert(), keys.centerKey(), database)
                .withTicketSecret(ticketSecret);
        campusApp = CampusApp.start(workdir.resolve("app"), seed, java.time.Clock.systemUTC());
        appConfig = campusApp.config();
        center = Center.start(centerConfig, appConfig, java.time.Clock.systemUTC());
        centerConfig = centerConfig.withSyncPort(center.syncPort()).withAppPort(center.appPort());
        out.printf("providers   simulated WeChat Pay on 127.0.0.1:%d, Alipay on 127.0.0.1:%d (own RSA keys, faults mixed)%n",
                campusApp.wechat().port(), campusApp.alipay().port());
        CenterLedger ledger = center.ledger();
        if (ledger.terminals().state(all.get(0)) != com.onecard.pos.center.ledger.TerminalRegistry.State.UNKNOWN) {
            throw new IOException("database " + database.url() + " already holds a ledger; give the simulation an empty"
                    + " database");
        }
        for (String id : all) {
            ledger.terminals().register(id, keys.terminalSecret(id));
        }
        if (centerInstances == 2) {
            second = com.onecard.pos.sim.center.CenterProcess.start(workdir.resolve("center-b"), database, keys.ca(),
                    keys.centerCert(), keys.centerKey(), ticketSecretFile);
            balancer = new com.onecard.pos.sim.center.Balancer(List.of(center.syncPort(), second.syncPort()));
            out.printf("center      second instance pid %d on 127.0.0.1:%d (same database); balancer on 127.0.0.1:%d%n",
                    second.pid(), second.syncPort(), balancer.port());
        }
        this.students = Population.queue(seed, students);
        SecureRandom rnd = new SecureRandom();
        for (Student s : this.students) {
            if (s.kind() == Student.Kind.UNKNOWN || s.kind() == Student.Kind.CLONE) {
                continue;
            }
            byte[] ticket = layout1(s) ? issuer.ticket(s.uid(), cardData(s)).toBytes() : new byte[0];
            ledger.accounts().open(s.accountId(), s.uid(), s.cardSerial(), s.name(), s.subsidyFen(), s.cashFen(),
                    PinVerifier.create(s.password(), rnd), 0, ticket);
            ledger.accounts().setNationalId(s.accountId(), s.nationalId());
            if (s.kind() == Student.Kind.LOST) {
                ledger.accounts().setStatus(s.accountId(), AccountStatus.LOST);
            }
        }
        List<Student> holders = this.students.stream()
                .filter(s -> s.kind() != Student.Kind.UNKNOWN && s.kind() != Student.Kind.CLONE).toList();
        campusApp.enrol(center.app(), ledger.accounts(), holders);
        out.printf("center      listening on 127.0.0.1:%d, %d accounts, ledger %s%n", center.syncPort(),
                this.students.stream().filter(s -> s.kind() != Student.Kind.UNKNOWN && s.kind() != Student.Kind.CLONE).count(),
                database.url());
        out.printf("app API     http://127.0.0.1:%d/api/v1/ (document: /api/v1/openapi.yaml; SMS codes in %s)%n",
                center.appPort(), workdir.resolve("app/sms.log"));
        List<Student> ordinary = holders.stream().filter(s -> s.kind() == Student.Kind.NORMAL).toList();
        // the first two ordinary holders top up at set-up below; the ones left out come from the end
        loggedOut.addAll(ordinary.subList(Math.min(ordinary.size(), Math.max(2, ordinary.size() - leftLoggedOut)),
                ordinary.size()));
        List<Student> phones = holders.stream().filter(s -> !loggedOut.contains(s)).toList();
        for (String problem : campusApp.loginAll(java.net.URI.create("http://127.0.0.1:" + center.appPort()), phones, out)) {
            verdict.check("students_log_in_with_sms_code", false, problem);
        }
        verdict.check("students_log_in_with_sms_code", true, "");
        // Every scenario pays through both providers at least once, the real way.
        List<Student> normal = holders.stream().filter(s -> s.kind() == Student.Kind.NORMAL).toList();
        for (int i = 0; i < Math.min(2, normal.size()); i++) {
            Student s = normal.get(i);
            String channel = i == 0 ? "wechat" : "alipay";
            JsonNode r = app(s).topUp(20, channel);
            boolean paid = r.path("state").asText().equals("PAID");
            verdict.check("top_up_through_each_provider", paid, channel + " top-up of " + s.studentNumber() + ": " + r);
            if (paid) {
                topups.merge(s.accountId(), 2_000L, Long::sum);
                verdict.topups++;
            }
        }
        out.printf("app         a 20-yuan top-up through each simulated provider: credited by its signed notification%n");
        Roster.write(roster(), this.students);
        out.printf("roster      %s (student, card UID, account, ID number, card password)%n", roster());

        for (String id : ids) {
            windows.add(startWindow(id));
        }
        for (Window w : windows) {
            awaitReady(w, Duration.ofSeconds(60));
        }
        if (!lightIds.isEmpty()) {
            lights = new LightFleet(keys, terminalCenterPort(), lightIds);
            resources.add(0, lights);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (lights.connected() < lights.size() && System.nanoTime() < deadline) {
                TerminalProcess.pause(100);
            }
            out.printf("light       %d of %d in-JVM sync clients connected (they keep the blacklist only)%n",
                    lights.connected(), lights.size());
        }
    }

    private Window startWindow(String id) throws IOException {
        PtyPair pty = PtyPair.start(workdir.resolve(id + "/tty-reader"), workdir.resolve(id + "/tty-emulator"));
        Pn532Emulator emulator;
        try {
            emulator = new Pn532Emulator(pty.device().toString(), 115200);
        } catch (IOException e) {
            pty.close();
            throw e;
        }
        out.printf("emulator    %s: PN532 at 115200 baud on %s (terminal side %s)%n", id, pty.device(), pty.host());

        Map<String, String> cfg = SimTerminalConfig.base(id, keys, pty.host(), terminalCenterPort());
        cfg.put("pricing.periods", pricingPeriods);
        KeypadEmulator keypad = null;
        if (keypads) {
            try {
                keypad = KeypadEmulator.start(workdir.resolve(id + "/keypad-event-kbd"), java.time.Clock.systemUTC());
            } catch (IOException e) {
                emulator.close();
                pty.close();
                throw e;
            }
            cfg.put("keypad.device", keypad.path().toString());
            out.printf("keypad      %s: emulated USB keypad, evdev records into %s%n", id, keypad.path());
        }
        PtyPair scannerPty = null;
        ScannerEmulator scanner = null;
        if (scanners) {
            try {
                scannerPty = PtyPair.start(workdir.resolve(id + "/tty-scanner"), workdir.resolve(id + "/tty-scanner-dev"));
                scanner = new ScannerEmulator(scannerPty.device().toString(), 9600);
            } catch (IOException e) {
                if (scannerPty != null) {
                    scannerPty.close();
                }
                if (keypad != null) {
                    keypad.close();
                }
                emulator.close();
                pty.close();
                throw e;
            }
            cfg.put("scanner.driver", "scanner");
            cfg.put("scanner.port", scannerPty.host().toString());
            cfg.put("scanner.baud", "9600");
            out.printf("scanner     %s: QR/barcode scanner at 9600 baud on %s (terminal side %s)%n", id, scannerPty.device(),
                    scannerPty.host());
        }
        cfg.putAll(terminalSettings);
        TerminalProcess terminal = new TerminalProcess(id, workdir.resolve(id), cfg);
        keys.tokenEnv(id).forEach(terminal::environment);
        Duration offset = clockOffsets.get(id);
        if (offset != null) {
            terminal.jvmOption("-Donecard.clock.offset=" + offset);
        }
        Window w = new Window(this, id, pty, emulator, keypad, scannerPty, scanner, terminal);
        resources.add(0, w);
        terminal.start(Duration.ofSeconds(60));
        out.printf("terminal    %s daemon pid %d, config %s, logs %s%s%n", id, terminal.pid(), terminal.configFile(),
                terminal.logDir(), offset == null ? "" : ", clock off by " + offset);
        return w;
    }

    /** Waits until the terminal's reader answers, the center link is up and the account cache arrived. */
    private void awaitReady(Window w, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long expected = students.stream().filter(s -> s.kind() != Student.Kind.UNKNOWN && s.kind() != Student.Kind.CLONE).count();
        JsonNode s = null;
        while (System.nanoTime() < deadline) {
            s = w.terminal().call("status");
            if (s.path("reader").path("state").asText().equals("OK") && s.path("sync").path("connected").asBoolean()
                    && s.path("cache").path("accounts").asLong() >= expected && s.path("cache").path("blacklisted").asLong() >= 1) {
                if (quietReady) {
                    return;
                }
                if (w == windows.get(windows.size() - 1)) {
                    quietReady = true;
                }
                out.printf("ready       %s: reader %s, center connected, %d accounts and %d lost cards cached%n", w.id(),
                        s.path("reader").path("firmware").asText(), s.path("cache").path("accounts").asLong(),
                        s.path("cache").path("blacklisted").asLong());
                return;
            }
            TerminalProcess.pause(100);
        }
        throw new IOException("terminal " + w.id() + " not ready within " + timeout.toSeconds() + " s; last status: " + s);
    }

    /** Where terminals connect: the balancer when there are two instances, else the center. */
    private int terminalCenterPort() {
        return balancer != null ? balancer.port() : center.syncPort();
    }

    /** SIGKILLs the second center instance (two instances only); its terminals reconnect to the first. */
    public void killSecondCenter() throws InterruptedException {
        second.kill();
    }

    /** The second instance's process, or null with one instance. */
    public com.onecard.pos.sim.center.CenterProcess secondCenter() {
        return second;
    }

    /** Cuts the center off: sync gateway and app API closed, every terminal link down (the database stays). */
    public void stopCenter() {
        center.close();
    }

    /** The center back on the same ports and database; the app API elsewhere if its port was taken meanwhile. */
    public void startCenter() {
        try {
            center = Center.start(centerConfig, appConfig, java.time.Clock.systemUTC());
        } catch (RuntimeException e) {
            center = Center.start(centerConfig.withAppPort(0), appConfig, java.time.Clock.systemUTC());
            centerConfig = centerConfig.withAppPort(center.appPort());
            campusApp.moved(java.net.URI.create("http://127.0.0.1:" + center.appPort()));
            out.printf("app API     moved to port %d%n", center.appPort());
        }
    }

    /**
     * One {@code scripts/center} administration command (e.g. {@code terminal reseat T01}) in its
     * own JVM against the simulation's ledger, as the card office runs it; returns its output.
     */
    public String centerAdmin(String... args) throws IOException {
        return com.onecard.pos.sim.center.CenterProcess.admin(workdir.resolve("center-admin"), database, keys.ca(),
                keys.centerCert(), keys.centerKey(), args);
    }

    /**
     * A top-up through the app, the real way: an order, the provider's page, the provider's
     * signed notification (or the center's query when it never comes). WeChat Pay and Alipay in
     * turn. Counted for the balance check when the order is credited.
     */
    public boolean topUp(Student s, long yuan) {
        String channel = (s.accountId() + yuan) % 2 == 0 ? "wechat" : "alipay";
        JsonNode r = app(s).topUp(yuan, channel);
        if (r.path("http_status").asInt() != 200 || !r.path("state").asText().equals("PAID")) {
            note("top-up of " + yuan + " yuan for " + s.accountId() + " by " + channel + " not credited: "
                    + r.path("code").asText(r.path("state").asText()));
            return false;
        }
        topups.merge(s.accountId(), yuan * 100, Long::sum);
        synchronized (verdict) {
            verdict.topups++;
        }
        return true;
    }

    /** Sum of the windows' upload backlogs now (polled on the monitoring connection); updates the peak. */
    public long sampleBacklog() {
        long sum = 0;
        for (Window w : windows) {
            try {
                sum += w.terminal().probe("status").path("backlog").path("count").asLong();
            } catch (IOException e) {
                // a daemon being restarted has no backlog to show
            }
        }
        synchronized (verdict) {
            verdict.backlogPeak = Math.max(verdict.backlogPeak, sum);
        }
        return sum;
    }

    /** A problem worth reporting that is not an invariant by itself. */
    public void note(String problem) {
        synchronized (verdict) {
            verdict.notes.add(problem);
        }
    }

    Outcome record(Window w, Student s, String saleId, JsonNode o) {
        Outcome out = new Outcome(w.id(), saleId, s.name(), s.kind(), s.accountId(), o.path("amount_fen").asLong(),
                o.path("approved").asBoolean(), o.path("reason").asText(), o.path("seq").asLong(), o.path("mode").asText(),
                o.path("decision_us").asLong() / 1000.0, o.path("uid").asText(), o.path("balance_after_fen").asLong());
        synchronized (verdict) {
            verdict.outcomes.add(out);
            if (out.approved() && out.mode().equals("qr")) {
                verdict.qrPaid++;
            }
        }
        (out.approved() ? approvedLive : declinedLive).incrementAndGet();
        if (out.approved()) {
            spent.merge(s.accountId(), out.amountFen(), Long::sum);
        }
        return out;
    }

    /** One card sale at the first window. */
    public Outcome tap(Student s, long amountFen) throws IOException {
        return windows.get(0).tap(s, amountFen);
    }

    /** The scripted lunch: every student in a shuffled queue taps once for a dish the cashier keys in. */
    public void lunch() throws IOException {
        Random r = new Random(seed + 1);
        List<Student> queue = new ArrayList<>(students);
        Collections.shuffle(queue, r);
        out.printf("%nlunch: %d students at window %s%n", queue.size(), TERMINAL);
        int n = 0;
        for (Student s : queue) {
            long amount = (800 + r.nextInt(11) * 100L) + (r.nextBoolean() ? 50 : 0);
            Outcome o = tap(s, amount);
            n++;
            out.printf("%3d/%d  %-10s card %s  %9s  %-9s %s%n", n, queue.size(), s.name(), s.uidHex(),
                    com.onecard.pos.display.Yuan.format(amount), o.approved() ? "APPROVED" : "DECLINED",
                    o.approved() ? String.format("%-7s seq %-3d %.1f ms", o.mode(), o.seq(), o.tapToDecisionMs()) : o.reason());
        }
    }

    /** The card in the student's hand, as the issuer's desk made it (a bare copy for a clone). */
    public VirtualCard card(Student s) {
        if (s.kind() == Student.Kind.CLONE) {
            return VirtualCard.blank(s.uid());
        }
        if (layout1(s)) {
            return VirtualCard.campus(s.uid(), issuer.issueLayout1(s.uid(), cardData(s)));
        }
        return VirtualCard.campus(s.uid(), issuer, cardData(s));
    }

    private static CardData cardData(Student s) {
        return new CardData(s.accountId(), s.cardSerial(), 0);
    }

    /**
     * Every fourth student with an account still carries a card of layout 1, issued before
     * layout 2; the center holds its ticket, and terminals accept it until the cut-over day.
     */
    public static boolean layout1(Student s) {
        return s.accountId() % 4 == 3 && (s.kind() == Student.Kind.NORMAL || s.kind() == Student.Kind.POOR);
    }

    /**
     * Waits for every terminal's backlog to drain, then checks the promises: every approved sale at
     * the center exactly once, each terminal's journal equal to what the center applied from it,
     * every chain intact, balances conserved (top-ups and QR payments included), caches in step.
     */
    public Verdict verify(Duration drainTimeout) throws IOException {
        long t0 = System.nanoTime();
        for (Window w : windows) {
            JsonNode st = w.terminal().call("status");
            while (st.path("backlog").path("count").asLong() > 0 && System.nanoTime() - t0 < drainTimeout.toNanos()) {
                synchronized (verdict) {
                    verdict.backlogPeak = Math.max(verdict.backlogPeak, st.path("backlog").path("count").asLong());
                }
                TerminalProcess.pause(50);
                st = w.terminal().call("status");
            }
        }
        if (verdict.drainSeconds == 0) {
            verdict.drainSeconds = (System.nanoTime() - t0) / 1e9;
        }
        CenterLedger ledger = center.ledger();
        Map<Long, Long> journaled = new HashMap<>();
        boolean once = true;
        boolean same = true;
        boolean chains = true;
        List<Outcome> outcomes;
        synchronized (verdict) {
            outcomes = new ArrayList<>(verdict.outcomes);
        }
        for (Window w : windows) {
            long acked = w.terminal().call("status").path("backlog").path("acked_seq").asLong();
            List<JournalRow> atCenter = ledger.ingest().appliedRows(w.id());
            JsonNode journal = w.terminal().call("journal", "limit", 100_000).path("rows");
            Map<Long, Integer> centerCount = new HashMap<>();
            Map<Long, JournalRow> centerBySeq = new HashMap<>();
            for (JournalRow r : atCenter) {
                centerCount.merge(r.getSeq(), 1, Integer::sum);
                centerBySeq.put(r.getSeq(), r);
            }
            for (Outcome o : outcomes) {
                if (!o.approved() || !o.terminalId().equals(w.id())) {
                    continue;
                }
                JournalRow r = centerBySeq.get(o.seq());
                RowKind kind = o.mode().equals("qr") ? RowKind.QR_SALE : o.mode().equals("paycode") ? RowKind.PAYCODE_SALE
                        : RowKind.SALE;
                boolean here = r != null && centerCount.get(o.seq()) == 1 && r.getKind() == kind
                        && r.getSaleId().equals(o.saleId()) && r.getAmountFen() == o.amountFen();
                if (here) {
                    verdict.uploaded++;
                } else {
                    once = false;
                    verdict.problems.add("sale " + o.saleId() + " at " + w.id() + " seq " + o.seq() + " not at the center exactly once");
                }
                if (o.seq() <= acked) {
                    verdict.acknowledged++;
                }
            }
            boolean equal = journal.size() == atCenter.size();
            for (JsonNode row : journal) {
                JournalRow c = centerBySeq.get(row.path("seq").asLong());
                equal &= c != null && HexFormat.of().formatHex(c.getMac().toByteArray()).equals(row.path("mac").asText());
            }
            if (!equal || !centerCount.values().stream().allMatch(n -> n == 1)) {
                same = false;
                verdict.problems.add(w.id() + ": terminal journal has " + journal.size() + " rows, center applied " + atCenter.size());
            }
            if (!selftestStore(w.terminal())) {
                chains = false;
                verdict.problems.add(w.id() + ": journal chain does not verify");
            }
            java.util.Set<String> announced = new java.util.HashSet<>();
            outcomes.stream().filter(o -> o.approved() && o.terminalId().equals(w.id())).forEach(o -> announced.add(o.saleId()));
            for (JsonNode row : journal) {
                long amount = row.path("amount_fen").asLong();
                switch (row.path("kind").asText()) {
                    case "SALE", "QR_SALE", "PAYCODE_SALE" -> journaled.merge(row.path("account_id").asLong(), amount, Long::sum);
                    case "REVERSAL" -> journaled.merge(row.path("account_id").asLong(), -amount, Long::sum);
                    default -> { }
                }
                if (row.path("kind").asText().equals("SALE") && !announced.contains(row.path("sale_id").asText())) {
                    verdict.committedUnannounced++;
                }
                if ((row.path("kind").asText().equals("SALE") || row.path("kind").asText().equals("PAYCODE_SALE"))
                        && row.path("mode").asText().equals("OFFLINE")) {
                    verdict.offlineSales++;
                }
            }
        }
        verdict.check("every_approved_sale_at_center_once", once && verdict.uploaded == verdict.approved(),
                verdict.uploaded + " of " + verdict.approved() + " approved sales at the center");
        verdict.check("all_approved_sales_acknowledged", verdict.acknowledged == verdict.approved(),
                verdict.acknowledged + " of " + verdict.approved() + " acknowledged");
        verdict.check("no_lost_or_duplicated_messages", same, "see problems");
        verdict.check("journal_chains_verify", chains, "see problems");

        boolean conserved = true;
        boolean cacheInStep = true;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (Student s : students) {
            if (s.kind() == Student.Kind.UNKNOWN || s.kind() == Student.Kind.CLONE) {
                continue;
            }
            long[] p = ledger.accounts().purses(s.accountId());
            long expect = s.balanceFen() + topups.getOrDefault(s.accountId(), 0L) - journaled.getOrDefault(s.accountId(), 0L);
            if (p[0] + p[1] != expect) {
                conserved = false;
                verdict.problems.add("account " + s.accountId() + " holds " + (p[0] + p[1]) + " fen at the center, expected " + expect);
            }
            if (p[0] + p[1] < 0) {
                verdict.overdrafts.add(s.accountId() + ": " + (p[0] + p[1]) + " fen (offline sales beyond the balance)");
            }
            if (spent.getOrDefault(s.accountId(), 0L) > journaled.getOrDefault(s.accountId(), 0L)) {
                conserved = false;
                verdict.problems.add("account " + s.accountId() + ": approved sales worth " + spent.get(s.accountId())
                        + " fen but only " + journaled.getOrDefault(s.accountId(), 0L) + " fen journaled");
            }
            for (Window w : windows) {
                long cached;
                do {
                    cached = w.terminal().call("card", "uid", s.uidHex()).path("account").path("available_fen").asLong();
                    if (cached == p[0] + p[1]) {
                        break;
                    }
                    TerminalProcess.pause(50);
                } while (System.nanoTime() < deadline);
                if (cached != p[0] + p[1]) {
                    cacheInStep = false;
                    verdict.problems.add(w.id() + " cache shows " + cached + " fen for account " + s.accountId() + ", center " + (p[0] + p[1]));
                }
            }
        }
        verdict.check("balances_conserved", conserved, "see problems");
        campusApp.verify(verdict, center.app(), ledger.accounts());
        verdict.check("terminal_cache_took_center_balances", cacheInStep, "see problems");
        return verdict;
    }

    private boolean selftestStore(TerminalProcess terminal) throws IOException {
        for (JsonNode c : terminal.call("selftest").path("checks")) {
            if (c.path("name").asText().equals("store")) {
                return c.path("ok").asBoolean();
            }
        }
        return false;
    }

    @Override
    public synchronized void close() {
        stopping = true;
        if (balancer != null) {
            resources.add(0, balancer);
            balancer = null;
        }
        if (second != null) {
            resources.add(second);
            second = null;
        }
        if (center != null) {
            resources.add(center);
            center = null;
        }
        if (campusApp != null) {
            resources.add(campusApp);
            campusApp = null;
        }
        if (postgres != null) {
            resources.add(postgres);
            postgres = null;
        }
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (Exception e) {
                out.println("closing " + c.getClass().getSimpleName() + ": " + e);
            }
        }
        resources.clear();
    }
}
