package com.onecard.pos.sim.app;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A camera's view of a screen for Chromium's fake capture device
 * ({@code --use-file-for-fake-video-capture}): the PNG centred on a grey frame, scaled up by a
 * whole factor (nearest neighbour, as a QR module must stay square), written as YUV4MPEG2 4:2:0
 * (BT.601), which Chromium plays in a loop.
 */
public final class Y4m {
    static final int WIDTH = 640;
    static final int HEIGHT = 480;

    private Y4m() {
    }

    public static void fromPng(Path png, Path y4m, int frames) throws IOException {
        BufferedImage screen = ImageIO.read(png.toFile());
        if (screen == null) {
            throw new IOException(png + " is not a picture");
        }
        int scale = Math.max(1, Math.min((WIDTH - 40) / screen.getWidth(), (HEIGHT - 40) / screen.getHeight()));
        int w = screen.getWidth() * scale;
        int h = screen.getHeight() * scale;
        BufferedImage view = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = view.createGraphics();
        g.setColor(new Color(0x60, 0x60, 0x60));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(screen, (WIDTH - w) / 2, (HEIGHT - h) / 2, w, h, null);
        g.dispose();
        byte[] y = new byte[WIDTH * HEIGHT];
        byte[] u = new byte[WIDTH * HEIGHT / 4];
        byte[] v = new byte[WIDTH * HEIGHT / 4];
        for (int row = 0; row < HEIGHT; row++) {
            for (int col = 0; col < WIDTH; col++) {
                int rgb = view.getRGB(col, row);
                int r = (rgb >> 16) & 0xff;
                int gr = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                y[row * WIDTH + col] = (byte) clamp((66 * r + 129 * gr + 25 * b + 128 >> 8) + 16);
                if (row % 2 == 0 && col % 2 == 0) {
                    int i = (row / 2) * (WIDTH / 2) + col / 2;
                    u[i] = (byte) clamp((-38 * r - 74 * gr + 112 * b + 128 >> 8) + 128);
                    v[i] = (byte) clamp((112 * r - 94 * gr - 18 * b + 128 >> 8) + 128);
                }
            }
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(y4m))) {
            out.write(("YUV4MPEG2 W" + WIDTH + " H" + HEIGHT + " F10:1 Ip A1:1 C420jpeg\n").getBytes(StandardCharsets.US_ASCII));
            for (int f = 0; f < frames; f++) {
                out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
                out.write(y);
                out.write(u);
                out.write(v);
            }
        }
    }

    private static int clamp(int x) {
        return Math.max(0, Math.min(255, x));
    }
}
