package com.onecard.pos.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * qr_paid_to_approved_ms: a real daemon shows a payment QR code; the code is read off its screen
 * (PNG, zxing) as a phone would; then the clock starts and the center takes the payment
 * ({@code Ledger.payQr}: MAC, expiry, single use, balance, debit, notice on the terminal's "qr"
 * stream, one transaction), the notice crosses the TLS link, the terminal journals the QR sale
 * and answers the cashier's waiting {@code await}: the clock stops there.
 */
final class QrPaid {
    private final Path root;
    private final Path work;
    private final int samples;

    QrPaid(Path root, Path work, int samples) {
        this.root = root;
        this.work = work;
        this.samples = samples;
    }

    Figure run() throws Exception {
        try (Canteen c = new Canteen(root, work, "prefer-online", List.of(), 4)) {
            c.start();
            c.awaitProvisioned(true);
            int warmup = Math.max(3, samples / 10);
            double[] s = new double[samples];
            for (int i = -warmup; i < samples; i++) {
                String id = c.startQrSale(800);
                String payload = c.shownPayload(work.resolve("screen.png"));
                Future<Long> approved = c.awaitOutcome(id);
                Thread.sleep(3); // the await must be at the daemon before the payment lands
                long t0 = System.nanoTime();
                var paid = c.center.ledger().qr().pay(payload, 20_000, null);
                if (!paid.ok()) {
                    throw new IllegalStateException("center refused the QR payment: " + paid.reason() + " " + paid.detail());
                }
                long t1 = approved.get(15, TimeUnit.SECONDS);
                if (i >= 0) {
                    s[i] = (t1 - t0) / 1e6;
                }
            }
            return Figure.of("qr_paid_to_approved_ms", s, "ms", "p99 <= 100 ms")
                    .withNote("center payQr (one transaction) -> notice over TLS -> QR_SALE journaled -> cashier's await answered");
        }
    }
}
