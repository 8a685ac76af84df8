package com.onecard.pos.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Card placed on the emulated PN532 → decision committed, through the real daemon. The end point
 * is the bench receiving the daemon's answer to an {@code await} that was already waiting, so it
 * includes the control-socket notification (well under a millisecond) on top of the commit.
 */
final class TapBench {
    private final Path root;
    private final Path work;
    private final int taps;

    TapBench(Path root, Path work, int taps) {
        this.root = root;
        this.work = work;
        this.taps = taps;
    }

    void run(Report report) throws Exception {
        measure(report, "prefer-online", "tap_to_decision_ms", "tap_to_decision_daemon_ms");
        measure(report, "offline-only", "tap_to_decision_offline_ms", null);
    }

    private void measure(Report report, String mode, String name, String daemonName) throws Exception {
        try (Canteen c = new Canteen(root, work.resolve(mode), mode, List.of(), 8)) {
            c.start();
            c.awaitProvisioned(!mode.equals("offline-only"));
            int warm = Math.max(10, taps / 10);
            double[] s = new double[taps];
            double[] d = new double[taps];
            for (int i = -warm; i < taps; i++) {
                Canteen.Tap t = c.tap(c.cards.get(Math.floorMod(i, c.cards.size())), 850);
                if (!t.approved()) {
                    throw new IllegalStateException(name + ": bench sale declined: " + t.reason());
                }
                if (i >= 0) {
                    s[i] = t.placeToDecisionMs();
                    d[i] = t.daemonDecisionMs();
                }
            }
            report.add(Figure.of(name, s, "ms", "p99 <= 25 ms").withNote("auth.mode=" + mode));
            if (daemonName != null) {
                report.add(Figure.of(daemonName, d, "ms", null)
                        .withNote("daemon's own decision_us: reader reported tap -> committed (excludes serial detection)"));
            }
        }
    }
}
