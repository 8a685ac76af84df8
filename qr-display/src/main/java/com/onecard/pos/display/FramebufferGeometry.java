package com.onecard.pos.display;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Size and layout of a Linux framebuffer as sysfs reports it
 * ({@code /sys/class/graphics/fb0/{virtual_size,bits_per_pixel,stride}}).
 */
public record FramebufferGeometry(int width, int height, int bitsPerPixel, int stride) {

    public FramebufferGeometry {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("framebuffer size " + width + "×" + height);
        }
        if (bitsPerPixel != 16 && bitsPerPixel != 24 && bitsPerPixel != 32) {
            throw new IllegalArgumentException("unsupported framebuffer depth " + bitsPerPixel + " bpp");
        }
        if (stride < width * (bitsPerPixel / 8)) {
            throw new IllegalArgumentException("stride " + stride + " shorter than a row of " + width + " pixels");
        }
    }

    public int bytesPerPixel() {
        return bitsPerPixel / 8;
    }

    public static FramebufferGeometry read(Path sysfsDir) throws IOException {
        String size = read(sysfsDir, "virtual_size");
        int comma = size.indexOf(',');
        try {
            if (comma < 0) {
                throw new NumberFormatException("expected 'width,height'");
            }
            return new FramebufferGeometry(Integer.parseInt(size.substring(0, comma).trim()),
                    Integer.parseInt(size.substring(comma + 1).trim()),
                    Integer.parseInt(read(sysfsDir, "bits_per_pixel")),
                    Integer.parseInt(read(sysfsDir, "stride")));
        } catch (IllegalArgumentException e) {
            throw new IOException("bad framebuffer geometry in " + sysfsDir + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path dir, String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.US_ASCII).trim();
    }
}
