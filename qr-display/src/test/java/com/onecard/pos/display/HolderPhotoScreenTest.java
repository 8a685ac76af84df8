package com.onecard.pos.display;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The holder's photo on the cashier's side of the screen, as rendered to PNG: the photo inside
 * its region with each approved or declined card or code, the neutral placeholder when the
 * holder has none, and nothing there when there is no holder; the text stays left of it.
 */
class HolderPhotoScreenTest {
    @TempDir
    Path dir;

    /** A 120 × 160 JPEG thumbnail: magenta, with a green band across the middle. */
    static byte[] photo() throws Exception {
        BufferedImage img = new BufferedImage(120, 160, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(new Color(0xD0, 0x20, 0xC0));
        g.fillRect(0, 0, 120, 160);
        g.setColor(new Color(0x20, 0xB0, 0x40));
        g.fillRect(0, 70, 120, 20);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    static BufferedImage png(Path dir, String name, Screen s) throws Exception {
        Path out = dir.resolve(name + ".png");
        try (PngRenderer r = new PngRenderer(out)) {
            r.render(s);
        }
        return ImageIO.read(out.toFile());
    }

    static boolean near(int rgb, Color c) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return Math.abs(r - c.getRed()) < 40 && Math.abs(g - c.getGreen()) < 40 && Math.abs(b - c.getBlue()) < 40;
    }

    /** Share of the region's pixels near {@code c}. */
    static double share(BufferedImage img, Rectangle r, Color c) {
        int n = 0;
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                if (near(img.getRGB(x, y), c)) {
                    n++;
                }
            }
        }
        return (double) n / (r.width * r.height);
    }

    @Test
    void theApprovedPhotoFillsTheCashierSideRegionWithTheTextLeftOfIt() throws Exception {
        Rectangle r = new ScreenImage().photoRegion();
        assertThat(r.x + r.width).isLessThanOrEqualTo(480);
        assertThat(r.x).isGreaterThan(240);
        BufferedImage img = png(dir, "approved", new Screen.Approved(Screens.ONLINE, "张三", 1250, 8_800,
                HolderPhoto.of(photo())));
        assertThat(share(img, r, new Color(0xD0, 0x20, 0xC0))).isGreaterThan(0.6);
        // the band sits across the middle of the region: the photo is scaled into it, not cropped elsewhere
        assertThat(near(img.getRGB(r.x + r.width / 2, r.y + r.height / 2), new Color(0x20, 0xB0, 0x40))).isTrue();
        assertThat(share(img, new Rectangle(0, 40, r.x - 8, 280), new Color(0xD0, 0x20, 0xC0))).isZero();
        BufferedImage declined = png(dir, "declined", new Screen.Declined(Screens.OFFLINE,
                "支付码已使用，请刷新 / payment code already used, please refresh it", HolderPhoto.of(photo())));
        assertThat(share(declined, r, new Color(0xD0, 0x20, 0xC0))).isGreaterThan(0.6);
    }

    @Test
    void aHolderWithoutAPhotoGetsThePlaceholderAndNoHolderGetsNoRegion() throws Exception {
        Rectangle r = new ScreenImage().photoRegion();
        BufferedImage missing = png(dir, "missing", new Screen.Approved(Screens.ONLINE, "李四", 800, 100, HolderPhoto.MISSING));
        assertThat(share(missing, r, ScreenImage.PLACEHOLDER_BG) + share(missing, r, ScreenImage.PLACEHOLDER_FG))
                .isGreaterThan(0.9);
        assertThat(share(missing, r, ScreenImage.PLACEHOLDER_FG)).isGreaterThan(0.1);
        BufferedImage broken = png(dir, "broken", new Screen.Approved(Screens.ONLINE, "李四", 800, 100,
                HolderPhoto.of(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3})));
        assertThat(share(broken, r, ScreenImage.PLACEHOLDER_BG)).isGreaterThan(0.3);
        BufferedImage none = png(dir, "none", new Screen.Declined(Screens.ONLINE, "卡未登记 / card not registered"));
        assertThat(share(none, new Rectangle(r.x, r.y + r.height / 2, r.width, r.height / 2), ScreenImage.BODY_BG))
                .isGreaterThan(0.95);
    }
}
