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
            + " | failover"
            + " (default ${DEFAULT-VALUE})", defaultValue = "lunch")
    String scenario;

    @Option(names = "--terminals", description = "windows, each a real daemon with its own emulator and pty pair, 1-10"
            + " (default: 1 for lunch, power-loss and serial-faults, 4 for failover, 2 for the others)")
    Integer terminals;

    @Option(names = "--light-terminals", description = "extra in-JVM sync clients that only keep the blacklist;"
            + " lost-card measures propagation to them too (default ${DEFAULT-VALUE})", defaultValue = "0")
    int lightTerminals;

    @Option(names = "--students", description = "students in the queue (default ${DEFAULT-VALUE})", defaultValue = "20")
    int students;

    @Option(names = "--duration", description = "rush length in seconds for timed scenarios (default ${DEFAULT-VALUE})",
            defaultValue = "20")
    int duration;

    @Option(names = "--kills", description = "power-loss: SIGKILLs per window (default ${DEFAULT-VALUE})", defaultValue = "10")
    int kills;

    @Option(names = "--seed", description = "seed for a reproducible run (default ${DEFAULT-VALUE})", defaultValue = "1")
    long seed;

    @Option(names = "--keep", description = "leave the center, emulator and daemon running for posctl; Ctrl-C stops them")
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

    @Override
    public Integer call() throws Exception {
        Path dir = (workdir != null ? workdir : root.resolve("work/sim")).toAbsolutePath().normalize();
        wipe(dir);
        Files.createDirectories(dir);
        System.out.println("simulation working folder: " + dir);
        Scenario sc;
        try {
            sc = Scenario.named(scenario);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        int n = terminals == null ? sc.defaultTerminals() : terminals;
        if (n < 1 || n > 10) {
            System.err.println("--terminals must be 1 to 10, got " + n);
            return 2;
        }
        long t0 = System.nanoTime();
        Simulation sim = new Simulation(root.toAbsolutePath(), dir, seed, System.out).terminals(n)
                .lightTerminals(lightTerminals);
        if (databaseUrl != null) {
            try {
                sim.database(new DatabaseConfig(databaseUrl, System.getenv().getOrDefault("PGUSER", "onecard"),
                        System.getenv("PGPASSWORD"), 16));
            } catch (IllegalArgumentException e) {
                System.err.println("--database-url: " + e.getMessage());
                return 2;
            }
        }
        sim.verdict().scenario = sc.name();
        sc.configure(sim);
        AtomicBoolean finished = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (!finished.get()) {
                System.out.println("\ninterrupted: stopping everything the simulation started");
                sim.stop();
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
        if (keep) {
            System.out.println("\n--keep: still running. Try:");
            for (Window w : sim.windows()) {
                System.out.println("  scripts/posctl --socket " + w.terminal().socket() + " status");
            }
            System.out.println("  curl http://127.0.0.1:" + sim.appPort() + "/api/v1/accounts/" + sim.students().get(0).accountId() + "/balance");
            System.out.println("Ctrl-C stops everything.");
            Thread.currentThread().join();
        }
        finished.set(true);
        sim.close();
        System.out.println("stopped everything the simulation started; logs and databases are in " + dir);
        return v.passed() ? 0 : 1;
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
