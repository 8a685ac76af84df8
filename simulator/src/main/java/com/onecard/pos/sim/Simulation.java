package com.onecard.pos.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.card.CardData;
import com.onecard.pos.sim.center.CenterConfig;
import com.onecard.pos.sim.center.CenterServer;
import com.onecard.pos.sim.center.Ledger;
import com.onecard.pos.sim.reader.Pn532Emulator;
import com.onecard.pos.sim.reader.PtyPair;
import com.onecard.pos.sim.reader.VirtualCard;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.auth.PinVerifier;

import java.io.IOException;
import java.io.PrintStream;
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
 * One simulated canteen: the reference center, a PN532 emulator on a pty pair, a real terminal
 * daemon, and students. Everything it starts is closed by {@link #close()}.
 */
public final class Simulation implements AutoCloseable {
    public static final String TERMINAL = "T01";

    private final Path root;
    private final Path workdir;
    private final long seed;
    private final PrintStream out;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Verdict verdict = new Verdict();
    private Keys keys;
    private CenterServer center;
    private Pn532Emulator emulator;
    private TerminalProcess terminal;
    private CampusCard issuer;
    private List<Student> students;
    private final Map<Long, Long> spent = new HashMap<>();
    private final Map<Long, Long> topups = new HashMap<>();
    private boolean quietReady;

    public Simulation(Path root, Path workdir, long seed, PrintStream out) {
        this.root = root;
        this.workdir = workdir.toAbsolutePath();
        this.seed = seed;
        this.out = out;
        verdict.seed = seed;
    }

    public Verdict verdict() {
        return verdict;
    }

    public TerminalProcess terminal() {
        return terminal;
    }

    public CenterServer center() {
        return center;
    }

    public List<Student> students() {
        return students;
    }

    /** Money the simulator saw approved per account. */
    public Map<Long, Long> spent() {
        return spent;
    }

    /** Starts the daemon again on the same configuration and data, and waits until it is ready. */
    public void restartTerminal() throws IOException {
        terminal.start(Duration.ofSeconds(30));
        awaitReady(Duration.ofSeconds(30));
    }

    /** Keys, center, accounts, pty pair, emulator and one terminal daemon, ready for sales. */
    public void setUp(int students) throws IOException {
        keys = Keys.provision(root, workdir.resolve("keys"), List.of(TERMINAL));
        issuer = new CampusCard(keys.issuerKey());
        java.nio.file.Files.createDirectories(workdir.resolve("center"));
        center = CenterServer.start(new CenterConfig("127.0.0.1", 0, keys.ca(), keys.centerCert(), keys.centerKey(),
                workdir.resolve("center/ledger.db")));
        resources.add(center);
        Ledger ledger = center.ledger();
        ledger.registerTerminal(TERMINAL, keys.terminalSecret(TERMINAL));
        this.students = Population.make(seed, Math.max(1, students - 4), 2, 1, 1, 1);
        SecureRandom rnd = new SecureRandom();
        for (Student s : this.students) {
            if (s.kind() == Student.Kind.UNKNOWN || s.kind() == Student.Kind.CLONE) {
                continue;
            }
            ledger.openAccount(s.accountId(), s.uid(), s.cardSerial(), s.name(), s.subsidyFen(), s.cashFen(),
                    PinVerifier.create(s.password(), rnd), 0);
            if (s.kind() == Student.Kind.LOST) {
                ledger.setStatus(s.accountId(), AccountStatus.LOST);
            }
        }
        out.printf("center      listening on 127.0.0.1:%d, %d accounts, ledger %s%n", center.port(),
                this.students.stream().filter(s -> s.kind() != Student.Kind.UNKNOWN && s.kind() != Student.Kind.CLONE).count(),
                workdir.resolve("center/ledger.db"));

        PtyPair pty = PtyPair.start(workdir.resolve(TERMINAL + "/tty-reader"), workdir.resolve(TERMINAL + "/tty-emulator"));
        resources.add(pty);
        emulator = new Pn532Emulator(pty.device().toString(), 115200);
        resources.add(0, emulator);
        out.printf("emulator    PN532 at 115200 baud on %s (terminal side %s)%n", pty.device(), pty.host());

        Path td = keys.terminalDir(TERMINAL);
        Map<String, String> cfg = new java.util.LinkedHashMap<>();
        cfg.put("terminal.label", "North canteen window 1");
        cfg.put("terminal.canteen-id", "N01");
        cfg.put("terminal.merchant-name", "NORTH CANTEEN");
        cfg.put("terminal.merchant-name-zh", "北区食堂");
        cfg.put("terminal.city-zh", "北京");
        cfg.put("terminal.secret-file", td.resolve("terminal.secret").toString());
        cfg.put("terminal.issuer-key-file", keys.issuerKeyFile().toString());
        cfg.put("reader.driver", "pn532");
        cfg.put("reader.port", pty.host().toString());
        cfg.put("gpio.platform", "mock");
        cfg.put("center.host", "127.0.0.1");
        cfg.put("center.port", Integer.toString(center.port()));
        cfg.put("center.ca-cert", keys.ca().toString());
        cfg.put("center.cert", td.resolve("terminal.pem").toString());
        cfg.put("center.key", td.resolve("terminal.key").toString());
        cfg.put("center.heartbeat-ms", "2000");
        cfg.put("auth.mode", "prefer-online");
        cfg.put("auth.pin.sale-threshold-fen", "0");
        cfg.put("auth.pin.daily-threshold-fen", "0");
        cfg.put("pricing.periods", "");
        cfg.put("display.kind", "ansi");
        terminal = new TerminalProcess(TERMINAL, workdir.resolve(TERMINAL), cfg);
        resources.add(0, terminal);
        terminal.start(Duration.ofSeconds(30));
        out.printf("terminal    %s daemon pid %d, config %s, logs %s%n", TERMINAL, terminal.pid(), terminal.configFile(),
                terminal.logDir());
        awaitReady(Duration.ofSeconds(30));
    }

    /** Waits until the terminal's reader answers, the center link is up and the account cache arrived. */
    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long expected = students.stream().filter(s -> s.kind() != Student.Kind.UNKNOWN && s.kind() != Student.Kind.CLONE).count();
        JsonNode s = null;
        while (System.nanoTime() < deadline) {
            s = terminal.call("status");
            if (s.path("reader").path("state").asText().equals("OK") && s.path("sync").path("connected").asBoolean()
                    && s.path("cache").path("accounts").asLong() >= expected && s.path("cache").path("blacklisted").asLong() >= 1) {
                if (quietReady) {
                    return;
                }
                quietReady = true;
                out.printf("ready       reader %s, center connected, %d accounts and %d lost cards cached%n",
                        s.path("reader").path("firmware").asText(), s.path("cache").path("accounts").asLong(),
                        s.path("cache").path("blacklisted").asLong());
                return;
            }
            TerminalProcess.pause(100);
        }
        throw new IOException("terminal not ready within " + timeout.toSeconds() + " s; last status: " + s);
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

    /** One sale at the window: the cashier keys the amount, the student taps, the card is taken away. */
    public Outcome tap(Student s, long amountFen) throws IOException {
        JsonNode sale = terminal.call("sale", "amount_fen", amountFen);
        if (!sale.path("ok").asBoolean()) {
            throw new IOException("terminal refused a sale: " + sale.path("error").asText());
        }
        String saleId = sale.path("sale_id").asText();
        emulator.place(card(s));
        JsonNode res;
        try {
            res = terminal.call("await", "sale_id", saleId, "timeout_ms", 10_000);
        } catch (IOException e) {
            emulator.remove();
            throw e;
        }
        emulator.remove();
        awaitEmptyPolls(3);
        if (!res.path("ok").asBoolean()) {
            throw new IOException("sale " + saleId + " for " + s.name() + " not decided: " + res.path("error").asText());
        }
        JsonNode o = res.path("outcome");
        Outcome out = new Outcome(TERMINAL, saleId, s.name(), s.kind(), s.accountId(), amountFen, o.path("approved").asBoolean(),
                o.path("reason").asText(), o.path("seq").asLong(), o.path("mode").asText(), o.path("decision_us").asLong() / 1000.0);
        verdict.outcomes.add(out);
        if (out.approved()) {
            spent.merge(s.accountId(), amountFen, Long::sum);
        }
        return out;
    }

    /**
     * A student takes the card away before the next one taps: wait until the reader has polled an
     * empty field a few times, so the next card is a new presentation even with the same UID.
     */
    private void awaitEmptyPolls(int polls) {
        long target = emulator.commandsHandled() + polls;
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (emulator.commandsHandled() < target && System.nanoTime() < deadline) {
            TerminalProcess.pause(2);
        }
    }

    private VirtualCard card(Student s) {
        if (s.kind() == Student.Kind.CLONE) {
            return VirtualCard.blank(s.uid());
        }
        return VirtualCard.campus(s.uid(), issuer, new CardData(s.accountId(), s.cardSerial(), 0));
    }

    /**
     * Waits for the terminal's backlog to drain, then checks the promises: every approved sale at
     * the center exactly once, the two journals equal, balances conserved, the cache in step.
     */
    public Verdict verify(Duration drainTimeout) throws IOException {
        long t0 = System.nanoTime();
        JsonNode st = terminal.call("status");
        while (st.path("backlog").path("count").asLong() > 0 && System.nanoTime() - t0 < drainTimeout.toNanos()) {
            verdict.backlogPeak = Math.max(verdict.backlogPeak, st.path("backlog").path("count").asLong());
            TerminalProcess.pause(50);
            st = terminal.call("status");
        }
        verdict.drainSeconds = (System.nanoTime() - t0) / 1e9;
        long acked = st.path("backlog").path("acked_seq").asLong();
        Ledger ledger = center.ledger();
        List<JournalRow> atCenter = ledger.appliedRows(TERMINAL);
        JsonNode journal = terminal.call("journal", "limit", 100_000).path("rows");

        Map<Long, Integer> centerCount = new HashMap<>();
        Map<Long, JournalRow> centerBySeq = new HashMap<>();
        for (JournalRow r : atCenter) {
            centerCount.merge(r.getSeq(), 1, Integer::sum);
            centerBySeq.put(r.getSeq(), r);
        }
        boolean once = true;
        for (Outcome o : verdict.outcomes) {
            if (!o.approved()) {
                continue;
            }
            JournalRow r = centerBySeq.get(o.seq());
            boolean here = r != null && centerCount.get(o.seq()) == 1 && r.getKind() == RowKind.SALE
                    && r.getSaleId().equals(o.saleId()) && r.getAmountFen() == o.amountFen();
            if (here) {
                verdict.uploaded++;
            } else {
                once = false;
                verdict.problems.add("sale " + o.saleId() + " seq " + o.seq() + " not at the center exactly once");
            }
            if (o.seq() <= acked) {
                verdict.acknowledged++;
            }
        }
        verdict.check("every_approved_sale_at_center_once", once && verdict.uploaded == verdict.approved(),
                verdict.uploaded + " of " + verdict.approved() + " approved sales at the center");
        verdict.check("all_approved_sales_acknowledged", verdict.acknowledged == verdict.approved(),
                verdict.acknowledged + " of " + verdict.approved() + " acknowledged");

        boolean same = journal.size() == atCenter.size();
        for (JsonNode row : journal) {
            JournalRow c = centerBySeq.get(row.path("seq").asLong());
            same &= c != null && HexFormat.of().formatHex(c.getMac().toByteArray()).equals(row.path("mac").asText());
        }
        verdict.check("no_lost_or_duplicated_messages", same && centerCount.values().stream().allMatch(n -> n == 1),
                "terminal journal has " + journal.size() + " rows, center applied " + atCenter.size());
        verdict.check("journal_chains_verify", selftestStore(), "terminal's journal chain does not verify");

        Map<Long, Long> journaled = new HashMap<>();
        java.util.Set<String> announced = new java.util.HashSet<>();
        verdict.outcomes.stream().filter(Outcome::approved).forEach(o -> announced.add(o.saleId()));
        for (JsonNode row : journal) {
            long amount = row.path("amount_fen").asLong();
            switch (row.path("kind").asText()) {
                case "SALE", "QR_SALE" -> journaled.merge(row.path("account_id").asLong(), amount, Long::sum);
                case "REVERSAL" -> journaled.merge(row.path("account_id").asLong(), -amount, Long::sum);
                default -> { }
            }
            if (row.path("kind").asText().equals("SALE") && !announced.contains(row.path("sale_id").asText())) {
                verdict.committedUnannounced++;
            }
        }
        boolean conserved = true;
        boolean cacheInStep = true;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (Student s : students) {
            if (s.kind() == Student.Kind.UNKNOWN || s.kind() == Student.Kind.CLONE) {
                continue;
            }
            long[] p = ledger.purses(s.accountId());
            long expect = s.balanceFen() + topups.getOrDefault(s.accountId(), 0L) - journaled.getOrDefault(s.accountId(), 0L);
            if (p[0] + p[1] != expect) {
                conserved = false;
                verdict.problems.add("account " + s.accountId() + " holds " + (p[0] + p[1]) + " fen at the center, expected " + expect);
            }
            if (spent.getOrDefault(s.accountId(), 0L) > journaled.getOrDefault(s.accountId(), 0L)) {
                conserved = false;
                verdict.problems.add("account " + s.accountId() + ": approved sales worth " + spent.get(s.accountId())
                        + " fen but only " + journaled.getOrDefault(s.accountId(), 0L) + " fen journaled");
            }
            long cached;
            do {
                cached = terminal.call("card", "uid", s.uidHex()).path("account").path("available_fen").asLong();
                if (cached == p[0] + p[1]) {
                    break;
                }
                TerminalProcess.pause(50);
            } while (System.nanoTime() < deadline);
            if (cached != p[0] + p[1]) {
                cacheInStep = false;
                verdict.problems.add("terminal cache shows " + cached + " fen for account " + s.accountId() + ", center " + (p[0] + p[1]));
            }
        }
        verdict.check("balances_conserved", conserved, "see problems");
        verdict.check("terminal_cache_took_center_balances", cacheInStep, "see problems");
        return verdict;
    }

    private boolean selftestStore() throws IOException {
        for (JsonNode c : terminal.call("selftest").path("checks")) {
            if (c.path("name").asText().equals("store")) {
                return c.path("ok").asBoolean();
            }
        }
        return false;
    }

    @Override
    public void close() {
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
