package com.onecard.pos.display;

import com.onecard.pos.qr.encode.QrMatrix;
import com.onecard.pos.qr.encode.QrEncoder;
import java.util.Objects;

/**
 * Remembers the last encoded payload: the QR screen is redrawn every second for its countdown
 * and the mask search is the costly part of encoding. Display thread only.
 */
final class QrCache {
    /** Phone cameras read screen QR codes reliably from 4 pixels per module up. */
    static final int MIN_MODULE_PX = 4;
    private String payload;
    private int availablePx;
    private QrMatrix matrix;

    QrMatrix matrix(String payload) {
        return matrix(payload, Integer.MAX_VALUE);
    }

    /** For a pixel display with {@code availablePx} square for the code. */
    QrMatrix matrix(String payload, int availablePx) {
        if (!Objects.equals(payload, this.payload) || availablePx != this.availablePx) {
            this.matrix = availablePx == Integer.MAX_VALUE ? QrEncoder.encode(payload)
                    : QrEncoder.encodeForDisplay(payload, availablePx, MIN_MODULE_PX);
            this.payload = payload;
            this.availablePx = availablePx;
        }
        return matrix;
    }
}
