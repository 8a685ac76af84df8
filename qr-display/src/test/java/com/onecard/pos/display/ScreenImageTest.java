package com.onecard.pos.display;

import static org.assertj.core.api.Assertions.assertThat;

import com.onecard.pos.qr.GoldenVectors;
import com.onecard.pos.qr.decode.QrImageDecoder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScreenImageTest {
    @TempDir
    Path dir;

    @Test
    void everyScreenKindRendersToPng() throws Exception {
        int i = 0;
        for (Screen s : Screens.all()) {
            Path out = dir.resolve("screen-" + i++ + ".png");
            try (PngRenderer r = new PngRenderer(out)) {
                r.render(s);
            }
            BufferedImage back = ImageIO.read(out.toFile());
            assertThat(back.getWidth()).isEqualTo(480);
            assertThat(back.getHeight()).isEqualTo(320);
            assertThat(back.getRGB(1, 1) & 0xFFFFFF).isEqualTo(ScreenImage.STATUS_BG.getRGB() & 0xFFFFFF);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void qrIsDrawnWithWholePixelsPerModuleAndDecodes() throws Exception {
        BufferedImage img = new ScreenImage().draw(new Screen.QrPayment(Screens.ONLINE, 1250, GoldenVectors.WORKED_EXAMPLE, 60));
        assertThat(QrImageDecoder.decode(img, "screen")).isEqualTo(GoldenVectors.WORKED_EXAMPLE);
        // screens use error correction L: whole pixels per module in 288 px of body, finder corner after the quiet zone
        int size = com.onecard.pos.qr.encode.QrEncoder.encode(GoldenVectors.WORKED_EXAMPLE,
                com.onecard.pos.qr.encode.QrEncoder.Level.L).size();
        int scale = 288 / size;
        assertThat(scale).isGreaterThanOrEqualTo(5);
        int top = 32 + (288 - size * scale) / 2;
        assertThat(img.getRGB(4 * scale, top + 4 * scale) & 0xFFFFFF).isZero();
        assertThat(img.getRGB(4 * scale - 1, top + 4 * scale) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    @Test
    void chineseFontIsUsedWhenInstalled() {
        if (Files.isReadable(Fonts.WQY_ZENHEI)) {
            assertThat(Fonts.base().getFamily()).contains("Zen Hei");
            assertThat(Fonts.base().canDisplayUpTo("北区食堂余额")).isEqualTo(-1);
        }
        assertThat(Fonts.load(dir.resolve("absent.ttc")).getFamily()).isNotBlank();
    }

    @Test
    void pngReplacesExistingFile() throws Exception {
        Path out = dir.resolve("screen.png");
        Files.writeString(out, "old");
        new PngRenderer(out).render(new Screen.Amount(Screens.ONLINE, 1));
        assertThat(ImageIO.read(out.toFile())).isNotNull();
    }
}
