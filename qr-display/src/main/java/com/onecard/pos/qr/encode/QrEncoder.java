package com.onecard.pos.qr.encode;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import java.util.BitSet;
import java.util.Map;

/**
 * Encodes a payload as a QR symbol at error correction M with a 4-module quiet zone. The only
 * place zxing's encoder is used. ASCII payloads are encoded without an ECI header so an
 * all-alphanumeric payload keeps the compact alphanumeric mode; others are UTF-8 with ECI, the
 * bytes the CRC was computed over.
 */
public final class QrEncoder {
    public static final int QUIET_ZONE = 4;
    private static final Map<EncodeHintType, Object> UTF8 = Map.of(EncodeHintType.CHARACTER_SET, "UTF-8");

    private QrEncoder() {
    }

    /**
     * Error correction: M by default (printed codes get scratched); L for codes drawn on a
     * screen, which is never dirty or torn, so that the same payload gets larger modules.
     */
    public enum Level { M, L }

    public static QrMatrix encode(String payload) {
        return encode(payload, Level.M);
    }

    public static QrMatrix encode(String payload, Level level) {
        if (payload == null || payload.isEmpty()) {
            throw new IllegalArgumentException("empty QR payload");
        }
        ByteMatrix code;
        ErrorCorrectionLevel ec = level == Level.L ? ErrorCorrectionLevel.L : ErrorCorrectionLevel.M;
        try {
            code = Encoder.encode(payload, ec, isAscii(payload) ? Map.of() : UTF8).getMatrix();
        } catch (WriterException e) {
            throw new IllegalArgumentException("payload of " + payload.length() + " characters does not fit a QR code", e);
        }
        int inner = code.getWidth();
        int size = inner + 2 * QUIET_ZONE;
        BitSet dark = new BitSet(size * size);
        for (int y = 0; y < inner; y++) {
            for (int x = 0; x < inner; x++) {
                if (code.get(x, y) == 1) {
                    dark.set((y + QUIET_ZONE) * size + x + QUIET_ZONE);
                }
            }
        }
        return new QrMatrix(size, QUIET_ZONE, dark);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }
}
