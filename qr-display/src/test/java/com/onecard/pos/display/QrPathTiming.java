package com.onecard.pos.display;

import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.qr.CampusQrRequest;
import com.onecard.pos.qr.encode.QrEncoder;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;

/**
 * Rough warm timing of payload + MAC + encode + render, for a developer's console (the real
 * benchmark belongs in the benchmarks module). Run: java -cp ... QrPathTiming [outDir].
 */
public final class QrPathTiming {
    public static void main(String[] args) throws Exception {
        byte[] key = new byte[32];
        SecureRandom random = new SecureRandom();
        CampusQr qr = new CampusQr();
        ScreenImage image = new ScreenImage();
        AnsiRenderer ansi = new AnsiRenderer(System.out);
        Instant now = Instant.now();
        int n = 5000;
        long[] create = new long[n];
        long[] total = new long[n];
        long[] ansiNs = new long[n];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                String payload = qr.create(new CampusQrRequest("T-0042", "CANTEEN-N01", "POS03", "S" + i, 1250 + i,
                        "NORTH CANTEEN", "BEIJING", "北区食堂", "北京", now.plusSeconds(90), key, random));
                long t1 = System.nanoTime();
                Screen s = new Screen.QrPayment(Screens.ONLINE, 1250 + i, payload, 90);
                image.draw(s);
                long t2 = System.nanoTime();
                ansi.toText(s);
                long t3 = System.nanoTime();
                create[i] = t1 - t0;
                total[i] = t2 - t0;
                ansiNs[i] = t3 - t2;
            }
        }
        long t = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            QrEncoder.encode("X" + i + "00020101021226350016CN.EDU.CAMPUSPAY0111CANTEEN-N01520458125303156");
        }
        System.out.printf("encode only ~%.3f ms%n", (System.nanoTime() - t) / 1000 / 1e6);
        System.out.println("create (payload+MAC): " + stats(create));
        System.out.println("create+encode+ScreenImage.draw: " + stats(total));
        System.out.println("AnsiRenderer.toText (own encode, uncached): " + stats(ansiNs));
        if (args.length > 0) {
            int i = 0;
            for (Screen s : Screens.all()) {
                new PngRenderer(Path.of(args[0], "screen-" + i++ + ".png")).render(s);
            }
        }
    }

    private static String stats(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return String.format("p50 %.3f ms, p99 %.3f ms", s[s.length / 2] / 1e6, s[s.length * 99 / 100] / 1e6);
    }

    private QrPathTiming() {
    }
}
