package com.onecard.pos.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Daemon start → ready (control socket answers status with the reader OK), resident memory
 * (VmRSS) after start and after N sales tapped through the emulator, with -Xmx64m as shipped;
 * then start → ready and RSS again with -XX:ActiveProcessorCount=1.
 */
final class DaemonBench {
    private final Path root;
    private final Path work;
    private final int sales;
    private final int starts;

    DaemonBench(Path root, Path work, int sales, int starts) {
        this.root = root;
        this.work = work;
        this.sales = sales;
        this.starts = starts;
    }

    void run(Report report) throws Exception {
        startAndRss(report, List.of(), "start_to_ready_ms", "daemon_rss_mb", true);
        startAndRss(report, List.of("-XX:ActiveProcessorCount=1"), "start_to_ready_1cpu_ms", "daemon_rss_1cpu_mb", false);
    }

    private void startAndRss(Report report, List<String> flags, String readyName, String rssName, boolean withSales)
            throws Exception {
        double[] ready = new double[starts];
        double rss = 0;
        // the first start of a fresh data folder creates the store; count only restarts of a warm disk cache
        for (int i = -1; i < starts; i++) {
            try (Canteen c = new Canteen(root, work.resolve(readyName), "offline-only", flags, 4)) {
                double ms = c.start();
                if (i >= 0) {
                    ready[i] = ms;
                }
                if (i == starts - 1) {
                    c.awaitProvisioned(false);
                    DaemonProcess.sleep(1000);
                    rss = c.daemon.rssMb();
                    if (withSales) {
                        for (int k = 0; k < sales; k++) {
                            Canteen.Tap t = c.tap(c.cards.get(k % c.cards.size()), 100);
                            if (!t.approved()) {
                                throw new IllegalStateException("sale " + k + " declined: " + t.reason());
                            }
                        }
                        report.add(Figure.single("daemon_rss_10k_sales_mb", c.daemon.rssMb(), "MB", "<= 128 MB",
                                sales + " card sales tapped through the emulator, offline-only, -Xmx64m"));
                    }
                }
            }
        }
        String shipped = String.join(" ", com.onecard.pos.terminal.app.DaemonJvm.options());
        String flagNote = flags.isEmpty() ? shipped : shipped + " " + String.join(" ", flags);
        report.add(Figure.of(readyName, ready, "ms", "<= 3000 ms").withNote(flagNote + "; " + starts + " starts"));
        report.add(Figure.single(rssName, rss, "MB", "<= 128 MB", "VmRSS 1 s after ready; " + flagNote));
    }
}
