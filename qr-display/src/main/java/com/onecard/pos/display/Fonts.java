package com.onecard.pos.display;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The base font for screen images, loaded once per JVM. WenQuanYi Zen Hei (Debian package
 * fonts-wqy-zenhei) has the Chinese glyphs; without it we fall back to the logical sans-serif
 * font so a missing package costs glyphs, never a render.
 */
final class Fonts {
    static final Path WQY_ZENHEI = Path.of("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc");

    private static final Font BASE = load(WQY_ZENHEI);

    private Fonts() {
    }

    static Font base() {
        return BASE;
    }

    static Font load(Path file) {
        if (file != null && Files.isReadable(file)) {
            try {
                Font[] fonts = Font.createFonts(file.toFile());
                if (fonts.length > 0) {
                    return fonts[0];
                }
            } catch (FontFormatException | IOException | RuntimeException e) {
                // Unusable file: fall through to the logical font.
            }
        }
        return new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    }
}
