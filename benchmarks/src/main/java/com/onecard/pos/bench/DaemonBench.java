package com.onecard.pos.bench;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;

/**
 * Daemon start → ready (control socket answers status with the reader OK) and resident memory
 * (VmRSS) under the shipped JVM flags, with a new journal and with a year of history; after N sales
 * tapped through the emulator; and with -XX:ActiveProcessorCount=1. Each start after the first is a
 * restart on the same data (as after a power cut or an upgrade), measured from just before the fork.
 */
final class DaemonBench {
    private final Path root;
    private final Path work;
    private final int sales;
    private final int starts;
    private final int historyRows;

    DaemonBench(Path root, Path work, int sales, int starts, int historyRows) {
        this.root = root;
        this.work = work;
        this.sales = sales;
        this.starts = starts;
        this.historyRows = historyRows;
    }

    void run(Report report) throws Exception {
        String shipped = String.join(" ", com.onecard.pos.terminal.app.DaemonJvm.options());
        Figure freshStart = null;
        for (int rows : List.of(0, historyRows)) {
            String sfx = TapBench.rowsLabel(rows);
            String hist = rows == 0 ? "new journal" : String.format("%,d journal rows", rows);
            try (Canteen c = new Canteen(root, work.resolve("daemon" + sfx), "offline-only", List.of(), 150,
                    new Canteen.History(rows, rows == 0 ? 0 : TapBench.OTHER_ACCOUNTS))) {
                c.start();
                c.awaitProvisioned(false);
                double[] ready = new double[starts];
                for (int i = 0; i < starts; i++) {
                    ready[i] = c.restart();
                }
                Figure start = Figure.of("start_to_ready" + sfx + "_ms", ready, "ms", "<= 3000 ms")
                        .withNote(shipped + "; " + hist + "; " + starts + " restarts, the chain checked from its checkpoint");
                if (rows == 0) {
                    freshStart = start;
                    report.add(start);
                } else {
                    report.add(start.against(freshStart).withNote(start.note() + "; baseline: start_to_ready_ms (new journal, same run)"));
                }
                c.awaitProvisioned(false);
                DaemonProcess.sleep(1000);
                report.add(Figure.single("daemon_rss" + sfx + "_mb", c.daemon.rssMb(), "MB", "<= 128 MB",
                        "VmRSS 1 s after ready; " + hist + "; " + shipped));
                if (rows == 0) {
                    java.util.Map<String, Integer> declined = new java.util.TreeMap<>();
                    for (int k = 0; k < sales; k++) {
                        Canteen.Tap t = c.tap(c.cards.get(k % c.cards.size()), 100);
                        if (!t.approved()) {
                            declined.merge(t.reason(), 1, Integer::sum);
                        }
                    }
                    int n = declined.values().stream().mapToInt(Integer::intValue).sum();
                    if (n * 20 > sales) {
                        throw new IllegalStateException(n + " of " + sales + " sales declined: " + declined);
                    }
                    report.add(Figure.single("daemon_rss_10k_sales_mb", c.daemon.rssMb(), "MB", "<= 128 MB",
                            sales + " card sales tapped through the emulator, offline-only, " + shipped
                                    + (n == 0 ? "" : "; declined " + declined)));
                } else {
                    // the first start of this firmware on a store that never had a checkpoint walks the whole chain once
                    c.stop();
                    try (var conn = DriverManager.getConnection("jdbc:sqlite:" + c.daemon.dir.resolve("data/terminal.db"))) {
                        conn.createStatement().executeUpdate("DELETE FROM meta WHERE key='chain_checkpoint'");
                    }
                    double full = c.start();
                    report.add(Figure.single("start_to_ready" + sfx + "_no_checkpoint_ms", full, "ms", null,
                            "once, after an upgrade from a firmware without checkpoints: the whole chain of " + hist
                                    + " walked at start; " + shipped + "; baseline: start_to_ready_ms (new journal, same run)")
                            .against(freshStart));
                }
            }
        }
        try (Canteen c = new Canteen(root, work.resolve("daemon_1cpu"), "offline-only", List.of("-XX:ActiveProcessorCount=1"), 4)) {
            c.start();
            c.awaitProvisioned(false);
            double[] ready = new double[starts];
            for (int i = 0; i < starts; i++) {
                ready[i] = c.restart();
            }
            String flags = shipped + " -XX:ActiveProcessorCount=1";
            report.add(Figure.of("start_to_ready_1cpu_ms", ready, "ms", "<= 3000 ms").against(freshStart)
                    .withNote(flags + "; new journal; " + starts + " restarts; baseline: start_to_ready_ms (2 CPUs, same run)"));
            DaemonProcess.sleep(1000);
            report.add(Figure.single("daemon_rss_1cpu_mb", c.daemon.rssMb(), "MB", "<= 128 MB", "VmRSS 1 s after ready; " + flags));
        }
    }
}
