package com.onecard.pos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.reader.card.CardData;
import com.onecard.pos.sim.Keys;
import com.onecard.pos.center.Center;
import com.onecard.pos.center.CenterConfig;
import com.onecard.pos.sim.reader.Pn532Emulator;
import com.onecard.pos.sim.reader.PtyPair;
import com.onecard.pos.sim.reader.ScannerEmulator;
import com.onecard.pos.sim.reader.VirtualCard;
import com.onecard.pos.pin.PinVerifier;
import com.onecard.pos.terminal.control.ControlClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One canteen window as the simulator builds it (center, accounts, PN532 emulator on a pty, a
 * real daemon), but driven tap by tap with the bench's own clocks.
 */
final class Canteen implements AutoCloseable {
    static final String TERMINAL = "T01";
    final Center center;
    final Pn532Emulator emulator;
    /** The window's QR scanner emulator, null without one. */
    final ScannerEmulator scanner;
    final DaemonProcess daemon;
    final List<VirtualCard> cards = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ExecutorService awaiter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bench-await");
        t.setDaemon(true);
        return t;
    });
    private ControlClient control;
    private ControlClient awaitControl;

    /**
     * Decided sale as seen at the window.
     *
     * @param placeToDecisionMs  card placed (or code sent) → the cashier's await answered on the control socket
     * @param daemonDecisionMs   the daemon's decision_us: tap reported → committed
     * @param placeToCommittedMs card placed → decision committed (the daemon's committed_at_us against the wall
     *                           clock read just before the card was placed; same machine, same clock), NaN when
     *                           the outcome has no commit instant
     */
    record Tap(double placeToDecisionMs, double daemonDecisionMs, boolean approved, String reason, double placeToCommittedMs) {
        Tap(double placeToDecisionMs, double daemonDecisionMs, boolean approved, String reason) {
            this(placeToDecisionMs, daemonDecisionMs, approved, reason, Double.NaN);
        }
    }

    private static long wallMicros() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    /**
     * What the window has behind it: {@code journalRows} rows of history (a year of sales over the
     * bench cards and {@code otherAccounts} more accounts, see {@link YearOfSales}), 0 for a new terminal;
     * acknowledged by the center (which then holds them too), or a backlog it has not seen.
     */
    record History(int journalRows, int otherAccounts, boolean acknowledged) {
        static final History NONE = new History(0, 0);

        History(int journalRows, int otherAccounts) {
            this(journalRows, otherAccounts, true);
        }
    }

    /**
     * A busy window's configuration, for every terminal bench: meal periods all day long (the
     * cashier types the amount; up to 99 meals a card, so repeated bench taps are not refused) and a
     * card-password threshold above the bench amounts, so the per-tap queries they need run; the
     * journal is kept whole (retention 10 years) so a year of history stays in the store.
     */
    static final Map<String, String> BUSY_WINDOW = Map.of(
            "pricing.periods", "night 00:00-06:00 0 99; morning 06:00-11:00 0 99; midday 11:00-17:00 0 99; evening 17:00-23:59 0 99",
            "auth.pin.sale-threshold-fen", "5000",
            "auth.pin.daily-threshold-fen", "100000000",
            "journal.retention-days", "3650");

    /** The emulated PN532's firmware time per command (µs) for every window of this run: scripts/bench --pn532-firmware-us. */
    static volatile long firmwareMicros;

    final double seedSeconds;
    /** Accounts the center holds for this window; the terminal is provisioned when it caches them all. */
    final int totalAccounts;

    Canteen(Path root, Path work, String authMode, List<String> jvmFlags, int accounts) throws IOException {
        this(root, work, authMode, jvmFlags, accounts, History.NONE);
    }

    Canteen(Path root, Path work, String authMode, List<String> jvmFlags, int accounts, History history) throws IOException {
        this(root, work, authMode, jvmFlags, accounts, history, 0);
    }

    /** @param scannerBaud a QR scanner emulator on its own pty at this baud (scanner.*), 0 = none */
    Canteen(Path root, Path work, String authMode, List<String> jvmFlags, int accounts, History history, int scannerBaud)
            throws IOException {
        Files.createDirectories(work);
        try {
            Keys keys = Keys.provision(root, work.resolve("keys"), List.of(TERMINAL));
            var issuer = keys.issuer();
            center = Center.start(CenterConfig.of("127.0.0.1", 0, keys.ca(), keys.centerCert(), keys.centerKey(),
                    BenchPostgres.freshDatabase(work, "canteen", 8)));
            resources.add(center);
            center.ledger().terminals().register(TERMINAL, keys.terminalSecret(TERMINAL));
            SecureRandom rnd = new SecureRandom();
            List<YearOfSales.Account> year = new ArrayList<>();
            String pin = PinVerifier.create("123456", rnd);
            for (int i = 0; i < accounts; i++) {
                long id = 20_000 + i;
                byte[] uid = {0x04, (byte) (i >> 8), (byte) i, 0x5A};
                center.ledger().accounts().open(id, uid, 1, "Student " + i, 1_000_000_000L, 1_000_000_000L, pin, 0);
                cards.add(VirtualCard.campus(uid, issuer, new CardData(id, 1, 0)));
                year.add(new YearOfSales.Account(id, uid));
            }
            for (int i = 0; i < history.otherAccounts(); i++) {
                long id = 40_000 + i;
                byte[] uid = {0x08, (byte) (i >> 8), (byte) i, 0x6B};
                center.ledger().accounts().open(id, uid, 1, "Student " + id, 1_000_000_000L, 1_000_000_000L, pin, 0);
                year.add(new YearOfSales.Account(id, uid));
            }
            PtyPair pty = PtyPair.start(work.resolve("tty-reader"), work.resolve("tty-emulator"));
            resources.add(0, pty);
            emulator = new Pn532Emulator(pty.device().toString(), 115200);
            emulator.setTiming(new com.onecard.pos.sim.reader.Pn532Timing(firmwareMicros));
            resources.add(0, emulator);

            Map<String, String> cfg = com.onecard.pos.sim.SimTerminalConfig.base(TERMINAL, keys, pty.host(), center.syncPort());
            if (scannerBaud > 0) {
                PtyPair scanPty = PtyPair.start(work.resolve("tty-scanner"), work.resolve("tty-scanner-emulator"));
                resources.add(0, scanPty);
                scanner = new ScannerEmulator(scanPty.device().toString(), scannerBaud);
                resources.add(0, scanner);
                cfg.put("scanner.driver", "scanner");
                cfg.put("scanner.port", scanPty.host().toString());
                cfg.put("scanner.baud", Integer.toString(scannerBaud));
            } else {
                scanner = null;
            }
            cfg.put("auth.mode", authMode);
            cfg.put("auth.offline.daily-per-card-fen", "100000000");
            cfg.put("auth.offline.max-unsynced-count", "1000000");
            cfg.put("auth.offline.max-unsynced-fen", "100000000");
            cfg.putAll(BUSY_WINDOW);
            Path tdir = work.resolve(TERMINAL);
            deleteTree(tdir.resolve("data"));
            totalAccounts = year.size();
            seedSeconds = YearOfSales.seed(tdir.resolve("data/terminal.db"), keys.terminalSecret(TERMINAL), TERMINAL, year,
                    history.journalRows(), history.acknowledged() ? center : null, java.time.Clock.systemDefaultZone(),
                    history.acknowledged());
            daemon = new DaemonProcess(TERMINAL, tdir, cfg, jvmFlags);
            daemon.environment(keys.tokenEnv(TERMINAL));
            resources.add(0, daemon);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        } catch (java.sql.SQLException e) {
            close();
            throw new IOException("seeding " + history.journalRows() + " journal rows: " + e.getMessage(), e);
        }
    }

    /** Starts the daemon; returns start → control socket answers with the reader OK, in ms. */
    double start() throws IOException {
        daemon.start();
        double ms = daemon.awaitReady(30_000);
        control = new ControlClient(daemon.socket);
        awaitControl = new ControlClient(daemon.socket);
        return ms;
    }

    /** Stops the daemon (SIGTERM, as systemd does) and starts it again; returns start → ready in ms. */
    double restart() throws IOException {
        closeControls();
        daemon.close();
        return start();
    }

    /** Stops the daemon; {@link #start()} brings it back on the same data. */
    void stop() {
        closeControls();
        daemon.close();
    }

    private void closeControls() {
        for (ControlClient c : new ControlClient[]{control, awaitControl}) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // the daemon is being stopped
                }
            }
        }
        control = null;
        awaitControl = null;
    }

    /** Waits until the terminal has its account cache and (unless offline) the center link. */
    void awaitProvisioned(boolean needCenter) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        JsonNode s = null;
        while (System.nanoTime() < deadline) {
            s = control.call("status");
            if (s.path("cache").path("accounts").asLong() >= totalAccounts
                    && (!needCenter || s.path("sync").path("connected").asBoolean())) {
                return;
            }
            DaemonProcess.sleep(50);
        }
        throw new IOException("terminal not provisioned within 120 s: " + s);
    }

    /**
     * One sale: amount keyed, an await already waiting on a second control connection, the card
     * placed (t0), the await answered (t1); then the card is taken away and the reader has seen the
     * empty field, so the next tap is a new presentation.
     */
    Tap tap(VirtualCard card, long amountFen) throws Exception {
        Future<Long> done = keyAndAwait(amountFen);
        // let the await reach the daemon before the card does; then a random part of a poll cycle, because
        // a customer's card comes at any instant of the reader's cycle, not at a fixed time after an empty poll
        Thread.sleep(3);
        java.util.concurrent.locks.LockSupport.parkNanos(phase.nextLong(PHASE_SPREAD_NANOS));
        long placedUs = wallMicros();
        long t0 = System.nanoTime();
        emulator.place(card);
        Runnable placed = onPlaced;
        if (placed != null) {
            placed.run();
        }
        long t1;
        try {
            t1 = done.get(15, TimeUnit.SECONDS);
        } finally {
            emulator.remove();
            emulator.awaitEmptyField(java.time.Duration.ofSeconds(2));
        }
        JsonNode o = lastOutcome;
        long committedUs = o.path("committed_at_us").asLong(0);
        return new Tap((t1 - t0) / 1e6, o.path("decision_us").asLong() / 1000.0, o.path("approved").asBoolean(),
                o.path("reason").asText(), committedUs > 0 ? (committedUs - placedUs) / 1000.0 : Double.NaN);
    }

    private volatile JsonNode lastOutcome;
    /** Told each time a card is placed (from the tapping thread; returns at once), or null. */
    volatile Runnable onPlaced;
    /**
     * Spread of the random wait before a card is placed: longer than the PN532 driver's poll cycle with no
     * card on a reader that re-arms after every empty InListPassiveTarget (≈ 15 ms of activation attempts,
     * the empty answer and the next command: ≈ 17 ms), so the card lands anywhere in it, re-arm gap included.
     */
    static final long PHASE_SPREAD_NANOS = 20_000_000L;
    /** Seeded: a run places its cards at the same phases as the run before it. */
    private final java.util.SplittableRandom phase = new java.util.SplittableRandom(15);

    /**
     * Keys a sale of {@code amountFen} and has an {@code await} for it waiting on the second control
     * connection; the future gives the nanoTime its answer arrived ({@link #lastOutcome} holds it).
     */
    private Future<Long> keyAndAwait(long amountFen) throws IOException {
        var req = control.request("sale");
        req.put("amount_fen", amountFen);
        JsonNode sale = control.call(req);
        if (!sale.path("ok").asBoolean()) {
            throw new IOException("terminal refused a sale: " + sale);
        }
        String id = sale.path("sale_id").asText();
        var aw = awaitControl.request("await");
        aw.put("sale_id", id);
        aw.put("timeout_ms", 10_000);
        return awaiter.submit(() -> {
            JsonNode r = awaitControl.call(aw);
            long t = System.nanoTime();
            if (!r.path("ok").asBoolean()) {
                throw new IOException("sale " + id + " not decided: " + r);
            }
            lastOutcome = r.path("outcome");
            return t;
        });
    }

    /**
     * One sale paid by code: amount keyed, an await already waiting, then the scanner sends the
     * code (t0: its first byte on the wire) and the await is answered (t1). {@code placeToDecisionMs}
     * includes the code's wire time; {@code daemonDecisionMs} counts from the line's end.
     */
    Tap scan(String code, long amountFen) throws Exception {
        Future<Long> done = keyAndAwait(amountFen);
        Thread.sleep(3);
        long t0 = System.nanoTime();
        scanner.scan(code);
        long t1 = done.get(15, TimeUnit.SECONDS);
        JsonNode o = lastOutcome;
        return new Tap((t1 - t0) / 1e6, o.path("decision_us").asLong() / 1000.0, o.path("approved").asBoolean(),
                o.path("reason").asText());
    }

    /** Starts a scan-to-pay sale; returns its sale id. */
    String startQrSale(long amountFen) throws IOException {
        var req = control.request("sale");
        req.put("amount_fen", amountFen);
        req.put("qr", true);
        JsonNode sale = control.call(req);
        if (!sale.path("ok").asBoolean()) {
            throw new IOException("terminal refused a QR sale: " + sale);
        }
        return sale.path("sale_id").asText();
    }

    /** What a phone reads off the customer display: the screen as PNG, decoded by zxing. */
    String shownPayload(Path png) throws IOException {
        JsonNode scr = control.call("screen");
        Files.write(png, java.util.Base64.getDecoder().decode(scr.path("png_base64").asText()));
        return com.onecard.pos.qr.decode.QrImageDecoder.decode(png);
    }

    /** Waits on the second control connection for the sale's outcome; the future yields System.nanoTime() on arrival. */
    Future<Long> awaitOutcome(String saleId) {
        var aw = awaitControl.request("await");
        aw.put("sale_id", saleId);
        aw.put("timeout_ms", 10_000);
        return awaiter.submit(() -> {
            JsonNode r = awaitControl.call(aw);
            long t = System.nanoTime();
            if (!r.path("ok").asBoolean() || !r.path("outcome").path("approved").asBoolean()) {
                throw new IOException("QR sale " + saleId + " not approved: " + r);
            }
            return t;
        });
    }


    JsonNode status() throws IOException {
        return control.call("status");
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    @Override
    public void close() {
        awaiter.shutdownNow();
        for (ControlClient c : new ControlClient[]{control, awaitControl}) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // the daemon is stopped next anyway
                }
            }
        }
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("closing " + c.getClass().getSimpleName() + ": " + e);
            }
        }
        resources.clear();
    }
}
