package com.onecard.pos.qr.decode;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Reads the QR code in an image file, as the campus app's camera would (used by the simulator and tests). */
public final class QrImageDecoder {
    private static final Map<DecodeHintType, Object> HINTS = Map.of(
            DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE),
            DecodeHintType.TRY_HARDER, Boolean.TRUE,
            DecodeHintType.CHARACTER_SET, "UTF-8");

    private QrImageDecoder() {
    }

    /** The decoded text; IOException when the file is unreadable or holds no readable QR code. */
    public static String decode(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        if (image == null) {
            throw new IOException("not an image: " + png);
        }
        return decode(image, png.toString());
    }

    /**
     * Like a phone's scanner, which sees the screen at ever-changing distances, tries the picture
     * at a few scales and with two binarizers before giving up: zxing's detector misses about one
     * perfectly sharp screen image in a hundred at one scale and reads it at another (zbar reads
     * them all; QrPngIT checks every rendered code with zbarimg).
     */
    public static String decode(BufferedImage image, String what) throws IOException {
        NotFoundException last = null;
        for (double scale : new double[]{1.0, 0.75, 1.5, 0.5}) {
            var source = new BufferedImageLuminanceSource(scale == 1.0 ? image : scaled(image, scale));
            for (BinaryBitmap bitmap : List.of(new BinaryBitmap(new HybridBinarizer(source)),
                    new BinaryBitmap(new GlobalHistogramBinarizer(source)))) {
                try {
                    return new MultiFormatReader().decode(bitmap, HINTS).getText();
                } catch (NotFoundException e) {
                    last = e;
                }
            }
        }
        throw new IOException("no QR code found in " + what, last);
    }

    private static BufferedImage scaled(BufferedImage image, double scale) {
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
