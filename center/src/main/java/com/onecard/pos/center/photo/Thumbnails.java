package com.onecard.pos.center.photo;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The thumbnail of an approved card photo that terminals keep per account: at most
 * {@value #WIDTH} × {@value #HEIGHT} px (the ID photo's 3:4), JPEG quality 0.8, a few kB, so a
 * terminal holds every student's photo of its campus.
 */
final class Thumbnails {
    static final int WIDTH = 120;
    static final int HEIGHT = 160;

    private Thumbnails() {
    }

    /** @throws UncheckedIOException when the stored photo no longer decodes (it was checked on upload) */
    static byte[] of(byte[] jpeg, long photoId) {
        try {
            BufferedImage src = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (src == null) {
                throw new IOException("not a decodable JPEG");
            }
            double scale = Math.min((double) WIDTH / src.getWidth(), (double) HEIGHT / src.getHeight());
            int w = Math.max(1, (int) Math.round(src.getWidth() * scale));
            int h = Math.max(1, (int) Math.round(src.getHeight() * scale));
            BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = dst.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(src, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(ios);
                ImageWriteParam p = writer.getDefaultWriteParam();
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(0.8f);
                writer.write(null, new IIOImage(dst, null, null), p);
            } finally {
                writer.dispose();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("making the thumbnail of photo " + photoId + ": " + e.getMessage(), e);
        }
    }
}
