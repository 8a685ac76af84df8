package com.onecard.pos.display;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FramebufferRendererTest {
    @TempDir
    Path dir;

    private final Screen screen = new Screen.Approved(Screens.ONLINE, "张三", 1250, 8_800);

    @Test
    void writesXrgb8888AsBgrx() throws Exception {
        // Stride padded beyond 320*4 to prove rows are placed by stride, not width.
        byte[] fb = renderTo(320, 240, 32, 1344);
        BufferedImage expected = new ScreenImage(320, 240).draw(screen);
        assertThat(fb).hasSize(1344 * 240);
        for (int[] xy : new int[][] {{0, 0}, {319, 0}, {5, 100}, {319, 239}, {160, 120}}) {
            int o = xy[1] * 1344 + xy[0] * 4;
            int rgb = expected.getRGB(xy[0], xy[1]);
            assertThat(fb[o] & 0xFF).isEqualTo(rgb & 0xFF);
            assertThat(fb[o + 1] & 0xFF).isEqualTo((rgb >> 8) & 0xFF);
            assertThat(fb[o + 2] & 0xFF).isEqualTo((rgb >> 16) & 0xFF);
            assertThat(fb[o + 3]).isZero();
        }
        int status = 5 * 4;
        assertThat(new int[] {fb[status] & 0xFF, fb[status + 1] & 0xFF, fb[status + 2] & 0xFF})
                .containsExactly(0x36, 0x2A, 0x20);
        int body = 239 * 1344 + 319 * 4;
        assertThat(new int[] {fb[body] & 0xFF, fb[body + 1] & 0xFF, fb[body + 2] & 0xFF}).containsExactly(255, 255, 255);
        assertThat(fb[1280 + 3 * 4 + 10]).as("stride padding untouched").isZero();
    }

    @Test
    void writesRgb565LittleEndian() throws Exception {
        byte[] fb = renderTo(320, 240, 16, 640);
        assertThat(fb).hasSize(640 * 240);
        // STATUS_BG 0x202A36 → R 4, G 10, B 6 → 0x2146.
        assertThat(fb[2 * 5] & 0xFF).isEqualTo(0x46);
        assertThat(fb[2 * 5 + 1] & 0xFF).isEqualTo(0x21);
        int body = 239 * 640 + 319 * 2;
        assertThat(fb[body] & 0xFF).isEqualTo(0xFF);
        assertThat(fb[body + 1] & 0xFF).isEqualTo(0xFF);
    }

    @Test
    void badGeometryNamesTheDirectory() throws Exception {
        Path sysfs = sysfs(320, 240, 8, 320);
        Path fb = Files.createFile(dir.resolve("fb0"));
        assertThatThrownBy(() -> new FramebufferRenderer(fb, sysfs))
                .isInstanceOf(IOException.class).hasMessageContaining(sysfs.toString()).hasMessageContaining("8 bpp");
    }

    private byte[] renderTo(int w, int h, int bpp, int stride) throws IOException {
        Path sysfs = sysfs(w, h, bpp, stride);
        Path fb = Files.createFile(dir.resolve("fb0"));
        try (FramebufferRenderer r = new FramebufferRenderer(fb, sysfs)) {
            r.render(screen);
            r.render(screen);
        }
        return Files.readAllBytes(fb);
    }

    private Path sysfs(int w, int h, int bpp, int stride) throws IOException {
        Path sysfs = Files.createDirectories(dir.resolve("sys-fb0"));
        Files.writeString(sysfs.resolve("virtual_size"), w + "," + h + "\n");
        Files.writeString(sysfs.resolve("bits_per_pixel"), bpp + "\n");
        Files.writeString(sysfs.resolve("stride"), stride + "\n");
        return sysfs;
    }
}
