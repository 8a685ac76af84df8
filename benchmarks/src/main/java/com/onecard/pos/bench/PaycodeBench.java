package com.onecard.pos.bench;

import com.onecard.pos.center.paycode.PaycodeCertificates;
import com.onecard.pos.paycode.DeviceCertificate;
import com.onecard.pos.paycode.P256;
import com.onecard.pos.paycode.Paycode;
import com.onecard.pos.sim.reader.VirtualCard;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * 支付码 scanned → decision committed, through the real daemon (signature verification in its
 * JVM, with its flags), the QR scanner emulated on a pty at 9600 and at 115200 baud, beside card
 * tap → decision on the same window in the same run (both decided offline: a payment code always
 * is). Two figures a baud: from the scanner's first byte (the code's 311 bytes on the wire are in
 * it: ~324 ms at 9600) and the daemon's own share from the line's end (the budget: p99 ≤ 40 ms).
 */
final class PaycodeBench {
    static final int CARDS = 40;
    private final Path root;
    private final Path work;
    private final int sales;

    PaycodeBench(Path root, Path work, int sales) {
        this.root = root;
        this.work = work;
        this.sales = sales;
    }

    /** A phone: its device key and certificate, codes with a counter per time step. */
    private static final class Phone {
        final KeyPair keys = P256.newKeyPair();
        final DeviceCertificate cert;
        long step = -1;
        int counter;

        Phone(KeyPair issuer, byte[] issuerPoint, long serial, long account) {
            cert = DeviceCertificate.issue(issuer.getPrivate(), issuerPoint, serial, account,
                    System.currentTimeMillis() + Duration.ofHours(72).toMillis(), keys.getPublic());
        }

        String code() {
            long s = Paycode.stepOf(System.currentTimeMillis());
            counter = s == step ? counter + 1 : 0;
            step = s;
            return Paycode.sign(cert, keys.getPrivate(), s, counter).text();
        }
    }

    void run(Report report) throws Exception {
        for (int baud : List.of(9600, 115200)) {
            try (Canteen c = new Canteen(root, work.resolve("paycode-" + baud), "offline-only", List.of(), CARDS,
                    Canteen.History.NONE, baud)) {
                KeyPair issuer = P256.newKeyPair();
                byte[] point = P256.point(issuer.getPublic());
                PaycodeCertificates.publishIssuerKey(c.center.ledger().unitOfWork(), point, Clock.systemUTC());
                List<Phone> phones = new ArrayList<>();
                for (int i = 0; i < CARDS; i++) {
                    phones.add(new Phone(issuer, point, 1000 + i, 20_000 + i));
                }
                c.start();
                c.awaitProvisioned(true);
                awaitIssuerKey(c);
                String cond = "auth.mode=offline-only, new journal, busy window's meal periods and PIN threshold; "
                        + "scanner emulated at " + baud + " baud on a pty; both measured alternately on one daemon";
                Figure[] f = measure(c, phones, baud, cond);
                for (Figure x : f) {
                    report.add(x);
                }
            }
        }
    }

    private static void awaitIssuerKey(Canteen c) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (c.status().path("cache").path("cursors").path("paycode").asLong() < 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the terminal did not receive the payment-code issuer key within 60 s");
            }
            DaemonProcess.sleep(50);
        }
    }

    /** Taps and scans alternate, after a tenth as many unmeasured of each. */
    private Figure[] measure(Canteen c, List<Phone> phones, int baud, String cond) throws Exception {
        int warm = Math.max(10, sales / 10);
        double[] tapMs = new double[sales];
        double[] tapDaemon = new double[sales];
        double[] scanMs = new double[sales];
        double[] scanDaemon = new double[sales];
        Map<String, Integer> declined = new TreeMap<>();
        for (int i = -warm; i < sales; i++) {
            VirtualCard card = c.cards.get(Math.floorMod(i, c.cards.size()));
            Canteen.Tap t = c.tap(card, 850);
            Canteen.Tap s = c.scan(phones.get(Math.floorMod(i + 7, phones.size())).code(), 850);
            for (Canteen.Tap x : new Canteen.Tap[]{t, s}) {
                if (!x.approved()) {
                    declined.merge(x.reason(), 1, Integer::sum);
                }
            }
            if (i >= 0) {
                tapMs[i] = t.placeToDecisionMs();
                tapDaemon[i] = t.daemonDecisionMs();
                scanMs[i] = s.placeToDecisionMs();
                scanDaemon[i] = s.daemonDecisionMs();
            }
        }
        int n = declined.values().stream().mapToInt(Integer::intValue).sum();
        int total = 2 * sales;
        // a full run holds the line at 5% declined; a smoke run's handful only has to work
        if (sales >= 100 ? n * 20 > total : n * 2 > total) {
            throw new IllegalStateException("paycode bench at " + baud + " baud: " + n + " of " + 2 * sales
                    + " sales declined: " + declined);
        }
        String note = n == 0 ? cond : cond + "; declined " + declined;
        double wireMs = (Paycode.TEXT_LENGTH + 2) * 10_000.0 / baud;
        Figure tap = Figure.of("tap_to_decision_offline_" + baud + "_ms", tapMs, "ms", "p99 <= 25 ms")
                .withNote("card placed on the emulated PN532 (115200 baud) -> committed; the baseline of the scans below; " + note);
        Figure tapOwn = Figure.of("tap_daemon_decision_" + baud + "_ms", tapDaemon, "ms", "p99 <= 3 ms")
                .withNote("daemon's decision_us of the taps: reader reported -> committed; " + note);
        Figure scan = Figure.of("paycode_scan_to_decision_" + baud + "_ms", scanMs, "ms", null).against(tap)
                .withNote(String.format(java.util.Locale.ROOT, "scanner's first byte -> committed, including the code's "
                        + "%d bytes on the wire (%.1f ms at %d baud); ratio: median over the tap's median; %s",
                        Paycode.TEXT_LENGTH + 2, wireMs, baud, note));
        Figure own = Figure.of("paycode_decision_" + baud + "_ms", scanDaemon, "ms", "p99 <= 40 ms").against(tapOwn)
                .withNote("daemon's decision_us of the scans: scanner line ended -> verified (2 ECDSA P-256 verifications) "
                        + "and committed; ratio: median over the taps' own share; " + note);
        return new Figure[]{tap, tapOwn, scan, own};
    }
}
