package com.onecard.pos.sim;

import com.onecard.pos.center.db.DatabaseConfig;
import com.onecard.pos.sim.scenario.Progress;
import com.onecard.pos.sim.scenario.Scenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/** scripts/simulate: the whole system on one machine, real code paths, and a verdict. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run the card center on PostgreSQL, emulated PN532 readers on ptys and real terminal daemons through"
                + " a scenario, then print a verdict. Exits 1 when any invariant fails.")
public final class SimulateMain implements Callable<Integer> {
    @Option(names = "--root", description = "project folder (scripts/simulate sets it)", defaultValue = ".")
    Path root;

    @Option(names = "--workdir", description = "working folder for keys, databases and logs (default: <root>/work/sim; emptied first)")
    Path workdir;

    @Option(names = "--scenario", description = "lunch | lunch-rush | outage | power-loss | lost-card | serial-faults | clock-skew"
            + " | failover | keypad | paycode"
            + " (default ${DEFAULT-VALUE})", defaultValue = "lunch")
    String scenario;

    @Option(names = "--terminals", description = "windows, each a real daemon with its own emulator and pty pair, 1-10"
            + " (default: 1 for lunch, power-loss, serial-faults and keypad, 4 for failover, 2 for the others)")
    Integer terminals;

    @Option(names = "--light-terminals", description = "extra in-JVM sync clients that only keep the blacklist;"
            + " lost-card measures propagation to them too, 0-5000 (default ${DEFAULT-VALUE})", defaultValue = "0")
    int lightTerminals;

    @Option(names = "--students", description = "students in the queue, 7-100000: normal ones plus 2 poor, 1 unknown,"
            + " 1 lost card and 1 clone (default ${DEFAULT-VALUE})", defaultValue = "20")
    int students;

    @Option(names = "--duration", description = "rush length in seconds for timed scenarios, 1-3600 (default ${DEFAULT-VALUE})",
            defaultValue = "20")
    int duration;

    @Option(names = "--kills", description = "power-loss: SIGKILLs per window, 1-1000 (default ${DEFAULT-VALUE})", defaultValue = "10")
    int kills;

    @Option(names = "--seed", description = "seed for a reproducible run (default ${DEFAULT-VALUE})", defaultValue = "1")
    long seed;

    @Option(names = "--keep", description = "leave the center, emulators and daemons running for posctl, with a console"
            + " to tap students' cards (students, tap, quit); quit or Ctrl-C stops them after checking every invariant again")
    boolean keep;

    @Option(names = "--report", description = "write the verdict as JSON to this file")
    Path report;

    @Option(names = "--database-url", description = "the ledger on an existing PostgreSQL server instead of a private"
            + " cluster under the working folder, e.g. jdbc:postgresql://127.0.0.1:5432/onecard_sim (an empty database);"
            + " the role and password come from PGUSER and PGPASSWORD")
    String databaseUrl;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulateMain()).execute(args));
    }

    /** The 5 awkward cards and 2 ordinary students: every set-up tops up once through each of the two providers. */
    static final int MIN_STUDENTS = Population.AWKWARD + 2;

    /** An option out of its range, named; null when every option is usable. */
    String badOption(int windows) {
        if (students < MIN_STUDENTS || students > 100_000) {
            return "--students must be " + MIN_STUDENTS + " to 100000 (the queue has " + Population.AWKWARD
                    + " awkward cards and at least 2 ordinary students, who top up through the two payment providers), got "
                    + students;
        }
        if (lightTerminals < 0 || lightTerminals > 5000) {
            return "--light-terminals must be 0 to 5000, got " + lightTerminals;
        }
        if (duration < 1 || duration > 3600) {
            return "--duration must be 1 to 3600 seconds, got " + duration;
        }
        if (kills < 1 || kills > 1000) {
            return "--kills must be 1 to 1000, got " + kills;
        }
        if (windows < 1 || windows > 10) {
            return "--terminals must be 1 to 10, got " + windows;
        }
        return null;
    }

    @Override
    public Integer call() throws Exception {
        Scenario sc;
        try {
            sc = Scenario.named(scenario);
        } catch (IllegalArgumentException e) {
            System.err.println("simulate: " + e.getMessage());
            return 2;
        }
        int n = terminals == null ? sc.defaultTerminals() : terminals;
        String bad = badOption(n);
        if (bad != null) {
            System.err.println("simulate: " + bad);
            return 2;
        }
        Path dir = (workdir != null ? workdir : root.resolve("work/sim")).toAbsolutePath().normalize();
        WorkdirLock lock;
        try {
            lock = WorkdirLock.acquire(dir, "--scenario " + sc.name() + (keep ? " --keep" : ""));
        } catch (WorkdirLock.Busy e) {
            System.err.println("simulate: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("simulate: --workdir " + dir + " cannot be used: " + describe(e));
            return 2;
        }
        try {
            wipe(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            System.err.println("simulate: --workdir " + dir + " cannot be emptied and made: " + describe(e));
            return 2;
        }
        System.out.println("simulation working folder: " + dir);
        long t0 = System.nanoTime();
        Simulation sim = new Simulation(root.toAbsolutePath(), dir, seed, System.out).terminals(n)
                .lightTerminals(lightTerminals);
        if (databaseUrl != null) {
            try {
                sim.database(new DatabaseConfig(databaseUrl, System.getenv().getOrDefault("PGUSER", "onecard"),
                        System.getenv("PGPASSWORD"), 16));
            } catch (IllegalArgumentException e) {
                System.err.println("simulate: --database-url: " + e.getMessage());
                return 2;
            }
        }
        sim.verdict().scenario = sc.name();
        sc.configure(sim);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean kept = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (!finished.get()) {
                System.out.println("\ninterrupted: stopping everything the simulation started");
                sim.stop();
                if (kept.get()) {
                    // the daemons run in sessions of their own: Ctrl-C did not stop them, so check again
                    System.out.println("checking every invariant again, sales made while kept running included ...");
                    recheck(sim, sc);
                }
                sim.verdict().elapsedSeconds = (System.nanoTime() - t0) / 1e9;
                System.out.print(sim.verdict().table());
                if (report != null) {
                    try {
                        sim.verdict().writeJson(report);
                    } catch (IOException e) {
                        System.out.println("could not write " + report + ": " + e.getMessage());
                    }
                }
                sim.close();
            }
        }, "simulate-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Verdict v;
        try {
            sim.setUp(students);
            try (Progress p = sc.name().equals("lunch") ? null : new Progress(sim, System.out, System.console() != null)) {
                sc.run(sim, new Scenario.Settings(Duration.ofSeconds(duration), kills));
            }
            sim.verdict().beforeVerify();
            v = sim.verify(Duration.ofSeconds(60));
            sc.afterVerify(sim);
        } catch (IOException | RuntimeException e) {
            if (sim.stopping() && !finished.get()) {
                Thread.currentThread().join(); // interrupted: the stop hook prints the verdict and exits
            }
            System.out.println("simulation failed: " + e.getMessage());
            sim.verdict().check("simulation_completed", false, String.valueOf(e.getMessage()));
            v = sim.verdict();
        }
        v.elapsedSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.print(v.table());
        if (report != null) {
            v.writeJson(report);
            System.out.println("verdict written to " + report);
        }
        if (keep && !sim.windows().isEmpty()) {
            kept.set(true);
            keepRunning(sim);
            boolean quit = new KeepConsole(sim, new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8)), System.out).run();
            if (!quit) {
                Thread.currentThread().join(); // no console (input ended): Ctrl-C stops, the hook checks again
            }
            System.out.println("checking every invariant again, sales made while kept running included ...");
            v = recheck(sim, sc);
            v.elapsedSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.print(v.table());
            if (report != null) {
                v.writeJson(report);
            }
        }
        finished.set(true);
        sim.close();
        lock.close();
        System.out.println("stopped everything the simulation started; logs and databases are in " + dir);
        return v.passed() ? 0 : 1;
    }

    /** What to try against a kept simulation; card passwords are asked from ¥50.00 on so that posctl pin can be tried. */
    private static void keepRunning(Simulation sim) throws IOException {
        for (Window w : sim.windows()) {
            w.terminal().call("config-set", "key", "auth.pin.sale-threshold-fen", "value", "5000");
        }
        System.out.println("\n--keep: still running. Try, in another shell:");
        for (Window w : sim.windows()) {
            System.out.println("  scripts/posctl --socket " + w.terminal().socket() + " status");
        }
        String sock = sim.windows().get(0).terminal().socket().toString();
        System.out.println("  scripts/posctl --socket " + sock + " sale 12.50        then here: tap 1");
        System.out.println("  scripts/posctl --socket " + sock + " sale 60.00        then here: tap 1, then: scripts/posctl --socket "
                + sock + " pin   (the card password of student 1: students lists it)");
        System.out.println("  scripts/posctl --socket " + sock + " reader test       then here: tap 2");
        Student first = sim.students().get(0);
        String api = "http://127.0.0.1:" + sim.appPort() + "/api/v1";
        System.out.println("  curl " + api + "/openapi.yaml                       # the app API's document");
        System.out.println("  curl -XPOST " + api + "/auth/sms-code -d '{\"phone\":\"" + first.phone() + "\"}'"
                + "   # the code lands in " + sim.campusApp().inbox());
        System.out.println("  curl -XPOST " + api + "/auth/phone-login -d '{\"phone\":\"" + first.phone()
                + "\",\"code\":\"<code>\",\"device_id\":\"my-laptop-1\"}'   # -> access_token");
        System.out.println("  curl -H 'Authorization: Bearer <access_token>' " + api + "/me/balance");
        System.out.println("students, cards, accounts, ID numbers and card passwords: " + sim.roster());
        System.out.println("quit (or Ctrl-C) stops everything after checking every invariant again.");
    }

    /** Verifies again on everything that happened, the kept-running sales included. */
    private static Verdict recheck(Simulation sim, Scenario sc) {
        try {
            sim.verdict().forgetVerification();
            Verdict v = sim.verify(Duration.ofSeconds(60));
            sc.afterVerify(sim);
            return v;
        } catch (IOException | RuntimeException e) {
            sim.verdict().check("rechecked_at_stop", false, "the check at stop failed: " + e.getMessage());
            return sim.verdict();
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException f) {
            return f.getFile() + ": no such folder";
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? "cannot be written" : f.getReason());
        }
        return e.getMessage() == null ? "I/O error" : e.getMessage();
    }

    static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> w = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) w.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
