package com.onecard.pos.bench;

import com.onecard.pos.display.Screen;
import com.onecard.pos.display.ScreenImage;
import com.onecard.pos.display.StatusBar;
import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.qr.CampusQrRequest;

import java.awt.image.BufferedImage;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalTime;

/**
 * QR payload + MAC + QR encode + render to the display image ({@link ScreenImage#draw}, which
 * encodes the payload and draws the screen), warm, no file write. Same path as the terminal's
 * QR sale screen.
 */
final class QrBench {
    static final byte[] KEY = StoreBench.SECRET;
    static final StatusBar BAR = new StatusBar("North canteen window 1", true, 3, LocalTime.NOON);

    private final int samples;
    private final int warmup;
    private final String name;
    /** Keeps the JIT from dropping the work. */
    static volatile int sink;

    QrBench(int samples, int warmup) {
        this(samples, warmup, "qr_build_render_ms");
    }

    /** @param name the figure's name: the same work is measured under the daemon's flags and in the bench's JVM */
    QrBench(int samples, int warmup, String name) {
        this.samples = samples;
        this.warmup = warmup;
        this.name = name;
    }

    void run(Report report) {
        CampusQr qr = new CampusQr();
        ScreenImage image = new ScreenImage();
        SecureRandom random = new SecureRandom();
        double[] s = new double[samples];
        Instant now = Instant.now();
        for (int i = -warmup; i < samples; i++) {
            long t0 = System.nanoTime();
            String payload = qr.create(request(i, now, random));
            BufferedImage img = image.draw(new Screen.QrPayment(BAR, 1250 + (i & 1023), payload, 90));
            sink += img.getRGB(img.getWidth() / 2, img.getHeight() / 2);
            long t1 = System.nanoTime();
            if (i >= 0) {
                s[i] = (t1 - t0) / 1e6;
            }
        }
        report.add(Figure.of(name, s, "ms", "qr_build_render_ms".equals(name) ? "p99 <= 2 ms" : null));
    }

    static CampusQrRequest request(int i, Instant now, java.util.random.RandomGenerator random) {
        return new CampusQrRequest("T01", "N01", "North canteen window 1", "T01-" + i, 1250 + (i & 1023),
                "NORTH CANTEEN", "BEIJING", "北区食堂", "北京", now.plusSeconds(90), KEY, random);
    }
}
