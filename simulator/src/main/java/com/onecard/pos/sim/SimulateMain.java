package com.onecard.pos.sim;

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
        description = "Run the card center, an emulated PN532 reader on a pty and a real terminal daemon through a scripted lunch.")
public final class SimulateMain implements Callable<Integer> {
    @Option(names = "--root", description = "project folder (scripts/simulate sets it)", defaultValue = ".")
    Path root;

    @Option(names = "--workdir", description = "working folder for keys, databases and logs (default: <root>/work/sim; emptied first)")
    Path workdir;

    @Option(names = "--students", description = "students in the queue (default ${DEFAULT-VALUE})", defaultValue = "20")
    int students;

    @Option(names = "--seed", description = "seed for a reproducible run (default ${DEFAULT-VALUE})", defaultValue = "1")
    long seed;

    @Option(names = "--keep", description = "leave the center, emulator and daemon running for posctl; Ctrl-C stops them")
    boolean keep;

    @Option(names = "--report", description = "write the verdict as JSON to this file")
    Path report;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulateMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = (workdir != null ? workdir : root.resolve("work/sim")).toAbsolutePath().normalize();
        wipe(dir);
        Files.createDirectories(dir);
        System.out.println("simulation working folder: " + dir);
        long t0 = System.nanoTime();
        Simulation sim = new Simulation(root.toAbsolutePath(), dir, seed, System.out);
        AtomicBoolean finished = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (!finished.get()) {
                System.out.println("\ninterrupted: stopping everything the simulation started");
                sim.verdict().elapsedSeconds = (System.nanoTime() - t0) / 1e9;
                System.out.print(sim.verdict().table());
                sim.close();
            }
        }, "simulate-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Verdict v;
        try {
            sim.setUp(students);
            sim.lunch();
            v = sim.verify(Duration.ofSeconds(30));
        } catch (IOException | RuntimeException e) {
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
            System.out.println("  scripts/posctl --socket " + sim.terminal().socket() + " status");
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
