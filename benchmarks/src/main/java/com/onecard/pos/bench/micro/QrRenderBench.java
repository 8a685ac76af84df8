package com.onecard.pos.bench.micro;

import com.onecard.pos.display.Screen;
import com.onecard.pos.display.ScreenImage;
import com.onecard.pos.display.StatusBar;
import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.qr.CampusQrRequest;
import com.onecard.pos.qr.encode.QrEncoder;
import com.onecard.pos.qr.encode.QrMatrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.awt.image.BufferedImage;
import java.time.Instant;
import java.time.LocalTime;
import java.util.SplittableRandom;

/** QR encode of a campus payload, and encode + draw of the QR payment screen (fresh payload each time). */
@State(Scope.Thread)
public class QrRenderBench {
    private static final StatusBar BAR = new StatusBar("North canteen window 1", true, 3, LocalTime.NOON);
    private final ScreenImage image = new ScreenImage();
    private final String[] payloads = new String[256];
    private int i;

    @Setup
    public void setUp() {
        System.setProperty("java.awt.headless", "true");
        CampusQr qr = new CampusQr();
        SplittableRandom random = new SplittableRandom(7);
        for (int k = 0; k < payloads.length; k++) {
            payloads[k] = qr.create(new CampusQrRequest("T01", "N01", "North canteen window 1", "T01-" + k, 1250,
                    "NORTH CANTEEN", "BEIJING", "北区食堂", "北京", Instant.parse("2030-01-01T12:00:00Z"), new byte[32], random));
        }
    }

    @Benchmark
    public QrMatrix encode() {
        return QrEncoder.encode(payloads[i++ & 255]);
    }

    /** ScreenImage caches only the last payload's matrix; payloads cycle through 256, so every draw encodes. */
    @Benchmark
    public BufferedImage encodeAndDraw() {
        return image.draw(new Screen.QrPayment(BAR, 1250, payloads[i++ & 255], 90));
    }
}
