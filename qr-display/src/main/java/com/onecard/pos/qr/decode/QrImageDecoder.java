package com.onecard.pos.qr.decode;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
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

    public static String decode(BufferedImage image, String what) throws IOException {
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
        try {
            return new MultiFormatReader().decode(bitmap, HINTS).getText();
        } catch (NotFoundException e) {
            throw new IOException("no QR code found in " + what, e);
        }
    }
}
