package com.onecard.pos.display;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.qr.CampusQrRequest;
import com.onecard.pos.qr.GoldenVectors;
import com.onecard.pos.qr.decode.QrImageDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders QR screens to PNG and reads them back with two independent decoders. */
class QrPngIT {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    static List<String> payloads() {
        List<String> out = new ArrayList<>(List.of(GoldenVectors.WORKED_EXAMPLE, GoldenVectors.CHINESE_VECTOR));
        CampusQr qr = new CampusQr();
        SplittableRandom random = new SplittableRandom(42);
        Instant expiry = Instant.parse("2026-11-27T12:01:30Z");
        out.add(qr.create(new CampusQrRequest("T-0042", "CANTEEN-N01", "POS03", "S0001234", 1250, "NORTH CANTEEN",
                "BEIJING", null, null, expiry, KEY, random)));
        out.add(qr.create(new CampusQrRequest("T-0042", "CANTEEN-N01", "POS03", "S0001235", 999_999, "NORTH CANTEEN",
                "BEIJING", "北区第一食堂", "北京", expiry, KEY, random)));
        out.add(qr.create(new CampusQrRequest("TERMINAL-LONG-ID-0001", "CANTEEN-EAST-QINGHE-0007", "WINDOW 12",
                "S9999999999999999", 1, "EAST CANTEEN QINGHE", "HAIDIAN", "东区清河食堂风味餐厅", "海淀", expiry, KEY, random)));
        return out;
    }

    @Test
    void zbarimgReadsExactlyThePayload() throws Exception {
        assumeTrue(zbarimgAvailable(), "zbarimg (zbar-tools) not installed");
        int i = 0;
        for (String payload : payloads()) {
            Path png = render(payload, i++);
            // stderr apart: zbar may complain about a missing D-Bus, which is not the payload.
            Path err = dir.resolve("zbarimg-" + i + ".err");
            Process p = new ProcessBuilder("zbarimg", "-q", "--raw", png.toString())
                    .redirectError(err.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("zbarimg exit for %s: %s", png, Files.readString(err)).isZero();
            String text = new String(out, StandardCharsets.UTF_8);
            assertThat(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text).isEqualTo(payload);
        }
    }

    @Test
    void zxingDecoderReadsExactlyThePayload() throws Exception {
        int i = 0;
        for (String payload : payloads()) {
            assertThat(QrImageDecoder.decode(render(payload, i++))).isEqualTo(payload);
        }
    }

    private Path render(String payload, int i) throws IOException {
        Path png = dir.resolve("qr-" + i + ".png");
        new PngRenderer(png).render(new Screen.QrPayment(Screens.ONLINE, 1250, payload, 90 - i));
        return png;
    }

    private static boolean zbarimgAvailable() {
        try {
            Process p = new ProcessBuilder("zbarimg", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
