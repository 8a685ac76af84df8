package com.onecard.pos.display;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * Writes each screen to a PNG file. The file is replaced atomically (temp file in the same
 * directory, then rename) so a viewer polling it never reads half an image.
 */
public final class PngRenderer implements ScreenRenderer {
    private final Path out;
    private final ScreenImage image;

    public PngRenderer(Path out) {
        this(out, new ScreenImage());
    }

    public PngRenderer(Path out, ScreenImage image) {
        this.out = out.toAbsolutePath();
        this.image = image;
    }

    @Override
    public void render(Screen screen) throws IOException {
        write(image.draw(screen), out);
    }

    static void write(BufferedImage img, Path out) throws IOException {
        Path tmp = Files.createTempFile(out.getParent(), out.getFileName().toString() + ".", ".tmp");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available in this JRE");
            }
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("writing screen image " + out + ": " + e.getMessage(), e);
        }
    }
}
