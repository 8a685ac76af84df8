package com.onecard.pos.qr.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onecard.pos.qr.GoldenVectors;
import com.onecard.pos.qr.decode.QrImageDecoder;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class QrEncoderTest {
    @Test
    void workedExampleIsVersion7WithQuietZone() {
        QrMatrix m = QrEncoder.encode(GoldenVectors.WORKED_EXAMPLE);
        // Reference: alphanumeric mode fits version 7 at level M, 45×45 modules.
        assertThat(m.size()).isEqualTo(45 + 8);
        assertThat(m.quietZone()).isEqualTo(4);
        for (int i = 0; i < m.size(); i++) {
            for (int q = 0; q < 4; q++) {
                assertThat(m.dark(i, q) || m.dark(q, i) || m.dark(i, m.size() - 1 - q) || m.dark(m.size() - 1 - q, i))
                        .as("quiet zone module at %d/%d", i, q).isFalse();
            }
        }
        // Finder pattern corner just inside the quiet zone.
        assertThat(m.dark(4, 4)).isTrue();
        assertThat(m.dark(m.size() - 5, 4)).isTrue();
    }

    @Test
    void encodedMatrixDecodesBackIncludingChinese() throws Exception {
        for (String payload : new String[] {GoldenVectors.WORKED_EXAMPLE, GoldenVectors.CHINESE_VECTOR}) {
            assertThat(QrImageDecoder.decode(toImage(QrEncoder.encode(payload), 3), "matrix")).isEqualTo(payload);
        }
    }

    @Test
    void outOfRangeModuleIsRefused() {
        QrMatrix m = QrEncoder.encode("HELLO");
        assertThatThrownBy(() -> m.dark(m.size(), 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> QrEncoder.encode("")).isInstanceOf(IllegalArgumentException.class);
    }

    static BufferedImage toImage(QrMatrix m, int scale) {
        BufferedImage img = new BufferedImage(m.size() * scale, m.size() * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, m.dark(x / scale, y / scale) ? 0 : 0xFFFFFF);
            }
        }
        return img;
    }
}
