package com.onecard.pos.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs every benchmark one after another and prints the table. Usage:
 * {@code BenchMain [--quick] [--json FILE] [--only a,b] [--root DIR] [--work DIR]}.
 * Groups: reader, tap, store, qr, drain, blacklist, center, daemon, qrpaid, jmh.
 */
public final class BenchMain {
    static final List<String> GROUPS = List.of("store", "qr", "reader", "tap", "drain", "blacklist", "center", "daemon",
            "qrpaid", "jmh");

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Report report = run(o, System.out);
        System.out.println();
        report.printTable(System.out);
        if (o.json != null) {
            report.writeJson(o.json);
            System.out.println("\nJSON written to " + o.json);
        }
        System.exit(0);
    }

    public static Report run(Options o, PrintStream out) throws Exception {
        Files.createDirectories(o.work);
        Report report = new Report();
        out.printf("onecard-pos benchmarks (%s), %s, work %s, loadavg %s%n", o.quick ? "quick" : "full", Instant.now(), o.work,
                loadavg());
        double loadStart = load1();
        for (String g : GROUPS) {
            if (!o.only.isEmpty() && !o.only.contains(g)) {
                continue;
            }
            long t0 = System.nanoTime();
            out.printf("== %s ...%n", g);
            out.flush();
            try {
                runGroup(g, o, report, out);
            } catch (Exception | Error e) {
                out.printf("== %s FAILED: %s%n", g, e);
                e.printStackTrace(out);
                report.add(Figure.notMeasured(g + "_failed", "", null, "benchmark group failed: " + e));
            }
            out.printf("== %s done in %.1f s%n", g, (System.nanoTime() - t0) / 1e9);
        }
        // other work on the machine skews every figure; the table says how busy it was
        report.add(new Figure("host_load_1m", (loadStart + load1()) / 2, null, "load", null, null, null, null,
                String.format(java.util.Locale.ROOT, "1-min load average at start %.2f, at end %.2f, on %d CPUs",
                        loadStart, load1(), Runtime.getRuntime().availableProcessors())));
        return report;
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static double load1() {
        String l = loadavg();
        try {
            return Double.parseDouble(l.split(" ")[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static void runGroup(String g, Options o, Report report, PrintStream out) throws Exception {
        boolean q = o.quick || o.smoke;
        boolean smoke = o.smoke;
        Path w = o.work.resolve(g);
        Files.createDirectories(w);
        switch (g) {
            case "store" -> new StoreBench(w, smoke ? 20 : q ? 300 : 3000, smoke ? 5 : q ? 50 : 300,
                    smoke ? 2_000 : 100_000).run(report);
            case "qr" -> new QrBench(smoke ? 50 : q ? 2000 : 20000, smoke ? 50 : q ? 2000 : 10000).run(report);
            case "reader" -> new ReaderBench(w, smoke ? 3 : q ? 30 : 300, smoke ? 2 : q ? 5 : 30).run(report);
            case "tap" -> new TapBench(o.root, w, q ? 30 : 300).run(report);
            case "drain" -> new DrainBench(o.root, w, 100_000).run(report);
            case "blacklist" -> {
                new FleetBench(o.root, o.root.resolve("benchmarks/target/bench-keys-fleet"), w,
                        q ? 200 : 1000, q ? 3 : 10).run(report);
                new FleetBench(o.root, o.root.resolve("benchmarks/target/bench-keys-fleet"), w,
                        q ? 200 : 1000, q ? 3 : 10, 2).run(report);
            }
            case "center" -> new CenterBench(o.root, o.root.resolve("benchmarks/target/bench-keys-fleet"), w,
                    smoke ? 4 : q ? 50 : 200, smoke ? 20 : q ? 200 : 500, smoke ? 4 : q ? 200 : 1000,
                    smoke ? 20 : 200, Duration.ofSeconds(smoke ? 1 : q ? 5 : 10)).run(report);
            case "qrpaid" -> report.add(new QrPaid(o.root, w, smoke ? 3 : q ? 30 : 200).run());
            case "jmh" -> new JmhBench(q).run(report);
            case "daemon" -> new DaemonBench(o.root, w, q ? 200 : 10_000, q ? 2 : 5).run(report);
            default -> throw new IllegalArgumentException("unknown benchmark group " + g);
        }
    }

    /** Command-line options. */
    public static final class Options {
        boolean quick;
        /** Tiny counts, for the integration test that only checks the harness runs and reports. */
        boolean smoke;
        Path json;
        Set<String> only = new LinkedHashSet<>();
        Path root = Path.of(System.getProperty("onecard.root", ".")).toAbsolutePath().normalize();
        Path work;

        public static Options parse(String... args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> o.quick = true;
                    case "--smoke" -> o.smoke = true;
                    case "--json" -> o.json = Path.of(args[++i]);
                    case "--only" -> o.only.addAll(Arrays.asList(args[++i].split(",")));
                    case "--root" -> o.root = Path.of(args[++i]).toAbsolutePath().normalize();
                    case "--work" -> o.work = Path.of(args[++i]).toAbsolutePath();
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; usage: [--quick] [--json FILE] [--only " + String.join(",", GROUPS) + "]");
                }
            }
            if (o.work == null) {
                o.work = o.root.resolve("benchmarks/target/bench-work");
            }
            return o;
        }

        public Options quick(boolean q) {
            this.quick = q;
            return this;
        }
    }
}
