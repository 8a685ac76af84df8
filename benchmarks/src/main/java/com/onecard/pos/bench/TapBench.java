package com.onecard.pos.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Card placed on the emulated PN532 → decision committed, through the real daemon with its key
 * token (SoftHSM2: key A derived, journal row MAC'd in the token). The end point is the bench
 * receiving the daemon's answer to an {@code await} that was already waiting, so it includes the
 * control-socket notification (well under a millisecond) on top of the commit.
 *
 * <p>Cards are layout 2 (docs/card-layout.md). {@code tap_to_decision_ms} cycles 8 cards, so after
 * the warm-up every card is one this terminal verified before (sector 1: one authentication and
 * one block); {@code tap_to_decision_first_tap_ms} uses a fresh card for every sale (both sectors:
 * two authentications, five blocks, the issuer's signature checked).
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
        measure(report, "prefer-online", "tap_to_decision_ms", "tap_to_decision_daemon_ms", false);
        measure(report, "offline-only", "tap_to_decision_offline_ms", null, false);
        measure(report, "prefer-online", "tap_to_decision_first_tap_ms", null, true);
    }

    private void measure(Report report, String mode, String name, String daemonName, boolean freshCards) throws Exception {
        int warm = Math.max(10, taps / 10);
        int accounts = freshCards ? warm + taps : 8;
        try (Canteen c = new Canteen(root, work.resolve(freshCards ? mode + "-first-tap" : mode), mode, List.of(), accounts)) {
            c.start();
            c.awaitProvisioned(!mode.equals("offline-only"));
            double[] s = new double[taps];
            double[] d = new double[taps];
            for (int i = -warm; i < taps; i++) {
                Canteen.Tap t = c.tap(c.cards.get(freshCards ? i + warm : Math.floorMod(i, c.cards.size())), 850);
                if (!t.approved()) {
                    throw new IllegalStateException(name + ": bench sale declined: " + t.reason());
                }
                if (i >= 0) {
                    s[i] = t.placeToDecisionMs();
                    d[i] = t.daemonDecisionMs();
                }
            }
            report.add(Figure.of(name, s, "ms", "p99 <= 25 ms").withNote("auth.mode=" + mode + ", key token SoftHSM2, "
                    + (freshCards ? "a fresh layout-2 card every sale (2 auths + 5 blocks + signature)"
                    : "8 layout-2 cards verified before (1 auth + 1 block)")));
            if (daemonName != null) {
                report.add(Figure.of(daemonName, d, "ms", null)
                        .withNote("daemon's own decision_us: reader reported tap -> committed (excludes serial detection)"));
            }
        }
    }
}
