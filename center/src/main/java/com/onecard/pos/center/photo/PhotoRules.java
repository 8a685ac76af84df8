package com.onecard.pos.center.photo;

import com.onecard.pos.center.app.error.AppError;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * What a card photo must be: a standard ID photo as JPEG (the second-generation ID card's
 * 358 × 441 px, or the 1-inch 295 × 413 px at 300 dpi, and larger scans of the same shape),
 * file size, pixel dimensions and height/width ratio within bounds. A refusal names the rule
 * and the value found.
 */
public record PhotoRules(int minBytes, int maxBytes, int minWidth, int maxWidth, int minHeight, int maxHeight,
                         double minAspect, double maxAspect) {

    public static PhotoRules standard() {
        return new PhotoRules(4 * 1024, 512 * 1024, 260, 1200, 320, 1600, 1.20, 1.50);
    }

    /** The checked photo's pixel size. */
    public record Checked(int width, int height) {
    }

    /** Refusals: PHOTO_NOT_JPEG, PHOTO_FILE_SIZE, PHOTO_DIMENSIONS, PHOTO_ASPECT. */
    public Checked check(byte[] jpeg) {
        if (jpeg.length < 3 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8 || (jpeg[2] & 0xff) != 0xFF) {
            throw AppError.PHOTO_NOT_JPEG.with("the photo is not a JPEG file (it must start with FF D8 FF)");
        }
        if (jpeg.length < minBytes || jpeg.length > maxBytes) {
            throw AppError.PHOTO_FILE_SIZE.with("the photo is " + jpeg.length + " bytes; it must be " + minBytes
                    + " to " + maxBytes + " bytes");
        }
        int w;
        int h;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
            if (!readers.hasNext()) {
                throw new IllegalStateException("no JPEG reader in this JVM");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                w = reader.getWidth(0);
                h = reader.getHeight(0);
                if (w > maxWidth || h > maxHeight) {
                    throw dimensions(w, h);
                }
                reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof com.onecard.pos.center.app.error.Refusal r) {
                throw r;
            }
            throw AppError.PHOTO_NOT_JPEG.with("the photo does not decode as a JPEG image: " + e.getMessage());
        }
        if (w < minWidth || h < minHeight) {
            throw dimensions(w, h);
        }
        double aspect = (double) h / w;
        if (aspect < minAspect || aspect > maxAspect) {
            throw AppError.PHOTO_ASPECT.with(String.format(java.util.Locale.ROOT,
                    "the photo is %d × %d px, height/width %.2f; an ID photo is %.2f to %.2f (e.g. 358 × 441)",
                    w, h, aspect, minAspect, maxAspect));
        }
        return new Checked(w, h);
    }

    private com.onecard.pos.center.app.error.Refusal dimensions(int w, int h) {
        return AppError.PHOTO_DIMENSIONS.with("the photo is " + w + " × " + h + " px; it must be " + minWidth + " to "
                + maxWidth + " px wide and " + minHeight + " to " + maxHeight + " px high");
    }
}
