package com.onecard.pos.display;

import com.onecard.pos.qr.encode.QrMatrix;
import com.onecard.pos.qr.encode.QrEncoder;
import java.util.Objects;

/**
 * Remembers the last encoded payload: the QR screen is redrawn every second for its countdown
 * and the mask search is the costly part of encoding. Display thread only.
 */
final class QrCache {
    private final QrEncoder.Level level;
    private String payload;
    private QrMatrix matrix;

    /** @param level L for pixel screens (larger modules for the phone's camera), M for text terminals */
    QrCache(QrEncoder.Level level) {
        this.level = level;
    }

    QrMatrix matrix(String payload) {
        if (!Objects.equals(payload, this.payload)) {
            this.matrix = QrEncoder.encode(payload, level);
            this.payload = payload;
        }
        return matrix;
    }
}
