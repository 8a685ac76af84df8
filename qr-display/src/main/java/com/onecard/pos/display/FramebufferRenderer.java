package com.onecard.pos.display;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Draws screens straight into a Linux framebuffer device (e.g. /dev/fb0) for displays with no
 * X server. Geometry comes from sysfs once, at construction; pixels are written as XRGB8888
 * (bytes B,G,R,X), RGB888 (B,G,R) or RGB565 little-endian at {@code y*stride + x*bpp/8}, one
 * positional write per frame.
 */
public final class FramebufferRenderer implements ScreenRenderer {
    private final Path device;
    private final FramebufferGeometry geometry;
    private final ScreenImage image;
    private final FileChannel channel;
    private final ByteBuffer frame;

    public FramebufferRenderer(Path fbDevice, Path sysfsDir) throws IOException {
        this.device = fbDevice;
        this.geometry = FramebufferGeometry.read(sysfsDir);
        this.image = new ScreenImage(geometry.width(), geometry.height());
        this.frame = ByteBuffer.allocate(Math.multiplyExact(geometry.stride(), geometry.height()));
        try {
            this.channel = FileChannel.open(fbDevice, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("opening framebuffer " + fbDevice + ": " + e.getMessage(), e);
        }
    }

    public FramebufferGeometry geometry() {
        return geometry;
    }

    @Override
    public void render(Screen screen) throws IOException {
        fill(frame, image.draw(screen), geometry);
        frame.rewind();
        long pos = 0;
        while (frame.hasRemaining()) {
            pos += channel.write(frame, pos);
        }
    }

    static void fill(ByteBuffer frame, BufferedImage img, FramebufferGeometry g) {
        int[] rgb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        byte[] out = frame.array();
        int bpp = g.bytesPerPixel();
        for (int y = 0; y < g.height(); y++) {
            int row = y * g.stride();
            int src = y * g.width();
            for (int x = 0; x < g.width(); x++) {
                int p = rgb[src + x];
                int o = row + x * bpp;
                if (bpp == 2) {
                    int v = ((p >> 8) & 0xF800) | ((p >> 5) & 0x07E0) | ((p >> 3) & 0x001F);
                    out[o] = (byte) v;
                    out[o + 1] = (byte) (v >> 8);
                } else {
                    out[o] = (byte) p;
                    out[o + 1] = (byte) (p >> 8);
                    out[o + 2] = (byte) (p >> 16);
                    if (bpp == 4) {
                        out[o + 3] = 0;
                    }
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "FramebufferRenderer[" + device + ", " + geometry + "]";
    }
}
