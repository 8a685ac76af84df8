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
 * Groups: reader, tap, store, qr, drain, blacklist, center, daemon, qrpaid, jmh, app, browser, paycode.
 */
public final class BenchMain {
    /** Groups that time the daemon's own code in-process: run in a child JVM with the daemon's flags. */
    static final Set<String> DAEMON_JVM_GROUPS = Set.of("store", "qr");
    static final List<String> GROUPS = List.of("store", "qr", "reader", "tap", "drain", "blacklist", "center", "daemon",
            "qrpaid", "jmh", "app", "browser", "paycode");

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Report report = run(o, System.out);
        if (!o.child) {
            System.out.println();
            report.printTable(System.out);
        }
        if (o.json != null) {
            report.writeJson(o.json);
            System.out.println("\nJSON written to " + o.json);
        }
        System.exit(0);
    }

    public static Report run(Options o, PrintStream out) throws Exception {
        Files.createDirectories(o.work);
        Canteen.firmwareMicros = o.firmwareMicros;
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
                if (DAEMON_JVM_GROUPS.contains(g) && !o.child) {
                    runInDaemonJvm(g, o, report);
                    if (g.equals("qr")) {
                        qrInBenchJvm(o, report);
                    }
                } else {
                    runGroup(g, o, report, out);
                }
            } catch (Exception | Error e) {
                out.printf("== %s FAILED: %s%n", g, e);
                e.printStackTrace(out);
                report.add(Figure.notMeasured(g + "_failed", "", null, "benchmark group failed: " + e));
            }
            out.printf("== %s done in %.1f s%n", g, (System.nanoTime() - t0) / 1e9);
        }
        if (o.child) {
            return report;
        }
        // other work on the machine skews every figure; the table says how busy it was
        report.add(new Figure("host_load_1m", (loadStart + load1()) / 2, null, "load", null, null, null, null,
                String.format(java.util.Locale.ROOT, "1-min load average at start %.2f, at end %.2f, on %d CPUs",
                        loadStart, load1(), Runtime.getRuntime().availableProcessors())));
        return report;
    }

    /**
     * Runs a group in a JVM started with the daemon's shipped flags (onecard-posd.jvm-options: small
     * heap, serial GC, C1 only), so in-process figures are what the daemon's code does under them.
     */
    private static void runInDaemonJvm(String g, Options o, Report report) throws Exception {
        Path json = o.work.resolve(g + "-daemon-jvm.json");
        Files.deleteIfExists(json);
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(com.onecard.pos.terminal.app.DaemonJvm.options());
        for (String prop : List.of("logback.configurationFile", "onecard.root")) {
            if (System.getProperty(prop) != null) {
                cmd.add("-D" + prop + "=" + System.getProperty(prop));
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchMain.class.getName(), "--child", "--only", g,
                "--json", json.toString(), "--root", o.root.toString(), "--work", o.work.toString()));
        if (o.quick) {
            cmd.add("--quick");
        }
        if (o.smoke) {
            cmd.add("--smoke");
        }
        if (o.history >= 0) {
            cmd.addAll(List.of("--history", Integer.toString(o.history)));
        }
        cmd.addAll(List.of("--pn532-firmware-us", Long.toString(o.firmwareMicros)));
        cmd.addAll(List.of("--tap-parts", String.join(",", o.tapParts)));
        if (o.taps > 0) {
            cmd.addAll(List.of("--taps", Integer.toString(o.taps)));
        }
        Path log = o.work.resolve(g + "-daemon-jvm.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int rc = p.waitFor();
        if (rc != 0 || !Files.exists(json)) {
            throw new IllegalStateException("group " + g + " in the daemon's JVM exited with " + rc + "; see " + log);
        }
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        for (var it = root.fields(); it.hasNext(); ) {
            var e = it.next();
            var n = e.getValue();
            report.add(new Figure(e.getKey(), n.path("median").isNumber() ? n.path("median").asDouble() : null,
                    n.has("p99") ? n.path("p99").asDouble() : null, n.path("unit").asText(),
                    n.has("baseline") ? n.path("baseline").asDouble() : null, n.has("ratio") ? n.path("ratio").asDouble() : null,
                    n.has("budget") ? n.path("budget").asText() : null, n.has("samples") ? n.path("samples").asInt() : null,
                    (n.has("note") ? n.path("note").asText() + "; " : "") + "run in a JVM with the daemon's flags"));
        }
    }

    /**
     * The baseline of qr_build_render_ms: the same work in this JVM (C2, a large heap, the default
     * collector), so the ratio is what the daemon's flags cost the QR screen.
     */
    private static void qrInBenchJvm(Options o, Report report) {
        Report mine = new Report();
        // a quarter of the daemon JVM's samples: a p99 over 5,000 is enough for a baseline and keeps the group short
        int n = o.smoke ? 50 : o.quick ? 1000 : 5000;
        new QrBench(n, o.smoke ? 50 : o.quick ? 1000 : 5000, "qr_build_render_bench_jvm_ms").run(mine);
        Figure base = mine.figures().get(0).withNote("the same as qr_build_render_ms in the bench's JVM (C2, -Xmx4g, default GC)");
        report.add(base);
        report.replace("qr_build_render_ms", f -> f.against(base)
                .withNote(f.note() + "; baseline: qr_build_render_bench_jvm_ms (the bench's JVM, same run)"));
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
            case "store" -> new StoreBench(w, smoke ? 20 : q ? 300 : 3000, smoke ? 5 : q ? 50 : 300, history(o)).run(report);
            case "qr" -> new QrBench(smoke ? 50 : q ? 2000 : 20000, smoke ? 50 : q ? 2000 : 10000).run(report);
            case "reader" -> new ReaderBench(w, smoke ? 3 : q ? 30 : 300, smoke ? 2 : q ? 5 : 30, o.firmwareMicros).run(report);
            case "tap" -> new TapBench(o.root, w, o.taps > 0 ? o.taps : smoke ? 10 : q ? 60 : 1000, smoke ? 10 : q ? 60 : 300, history(o),
                    smoke ? 200 : q ? 2_000 : 10_000, o.tapParts).run(report);
            case "drain" -> new DrainBench(o.root, w, 100_000).run(report);
            case "blacklist" -> {
                new FleetBench(o.root, o.root.resolve("benchmarks/target/bench-keys-fleet"), w,
                        q ? 200 : 1000, q ? 3 : 10).run(report);
                new FleetBench(o.root, o.root.resolve("benchmarks/target/bench-keys-fleet"), w,
                        q ? 200 : 1000, q ? 3 : 10, 2).run(report);
            }
            case "center" -> new CenterBench(o.root, o.root.resolve("benchmarks/target/bench-keys-fleet"), w,
                    smoke ? 4 : q ? 50 : 200, smoke ? 20 : q ? 50 : 100, smoke ? 4 : q ? 200 : 1000,
                    smoke ? 20 : 200, Duration.ofSeconds(smoke ? 1 : q ? 5 : 10)).run(report, o.centerParts);
            case "qrpaid" -> report.add(new QrPaid(o.root, w, smoke ? 3 : q ? 30 : 200).run());
            case "jmh" -> new JmhBench(q).run(report);
            case "paycode" -> new PaycodeBench(o.root, w, smoke ? 10 : q ? 60 : 300).run(report);
            case "app" -> new AppBench(w, smoke ? 20 : 200, Duration.ofSeconds(smoke ? 1 : q ? 5 : 20)).run(report);
            case "browser" -> new BrowserBench(o.root, w, smoke ? 2 : q ? 10 : 30, smoke ? 1 : q ? 5 : 20).run(report);
            case "daemon" -> new DaemonBench(o.root, w, q ? 200 : 10_000, q ? 2 : 5, history(o)).run(report);
            default -> throw new IllegalArgumentException("unknown benchmark group " + g);
        }
    }

    /** Journal rows behind the window for the "with history" figures: a year of sales, or --history N. */
    static int history(Options o) {
        return o.history >= 0 ? o.history : o.smoke ? 2_000 : o.quick ? 30_000 : 300_000;
    }

    /** Command-line options. */
    public static final class Options {
        boolean quick;
        /** Tiny counts, for the integration test that only checks the harness runs and reports. */
        boolean smoke;
        /** This JVM is the daemon-flags child of a bench run: run the groups asked, write JSON, no table. */
        boolean child;
        Path json;
        /** The emulated PN532's firmware time per command, µs, on top of its RF times (0: none; see Pn532Timing). */
        long firmwareMicros;
        /** Journal rows of history for the terminal benches; -1: 300,000 (--quick 30,000). */
        int history = -1;
        /** Parts of the center group: ingest (sales/s, with its profile), auth (online authorization, heap). */
        Set<String> centerParts = new LinkedHashSet<>(List.of("ingest", "auth"));
        /**
         * Parts of the tap group: quiet (new journal, a year's journal offline and online, first tap), during (the
         * year's online window quiet, then during selftest and during account updates, against that quiet run).
         */
        Set<String> tapParts = new LinkedHashSet<>(List.of("quiet", "during"));
        /** Measured taps a tap figure, instead of 1,000 (--quick 60): for a quick A/B only; 0: the default. */
        int taps;
        Set<String> only = new LinkedHashSet<>();
        Path root = Path.of(System.getProperty("onecard.root", ".")).toAbsolutePath().normalize();
        Path work;

        public static Options parse(String... args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> o.quick = true;
                    case "--smoke" -> o.smoke = true;
                    case "--child" -> o.child = true;
                    case "--json" -> o.json = Path.of(args[++i]);
                    case "--history" -> o.history = Integer.parseInt(args[++i]);
                    case "--pn532-firmware-us" -> o.firmwareMicros = Long.parseLong(args[++i]);
                    case "--only" -> o.only.addAll(Arrays.asList(args[++i].split(",")));
                    case "--center-parts" -> {
                        o.centerParts = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                        if (!Set.of("ingest", "auth").containsAll(o.centerParts)) {
                            throw new IllegalArgumentException("--center-parts takes ingest,auth; got " + o.centerParts);
                        }
                    }
                    case "--tap-parts" -> {
                        o.tapParts = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                        if (o.tapParts.isEmpty() || !Set.of("quiet", "during").containsAll(o.tapParts)) {
                            throw new IllegalArgumentException("--tap-parts takes quiet,during; got " + o.tapParts);
                        }
                    }
                    case "--taps" -> o.taps = Integer.parseInt(args[++i]);
                    case "--root" -> o.root = Path.of(args[++i]).toAbsolutePath().normalize();
                    case "--work" -> o.work = Path.of(args[++i]).toAbsolutePath();
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; usage: [--quick] [--json FILE] [--history ROWS] [--pn532-firmware-us US] [--only " + String.join(",", GROUPS) + "] [--center-parts ingest,auth] [--tap-parts quiet,during] [--taps N]");
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
