package com.onecard.pos.qr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** zxing may be imported in the encode and decode packages only (ARCHITECTURE.md). */
class VendorBoundaryTest {
    @Test
    void zxingStaysInEncodeAndDecodePackages() throws IOException {
        Path main = Path.of("src/main/java");
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(main.resolve("com/onecard/pos/qr/encode"))
                            && !p.startsWith(main.resolve("com/onecard/pos/qr/decode")))
                    .filter(VendorBoundaryTest::importsZxing)
                    .toList();
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void boundaryCheckSeesTheEncoder() {
        assertThat(importsZxing(Path.of("src/main/java/com/onecard/pos/qr/encode/QrEncoder.java"))).isTrue();
    }

    private static boolean importsZxing(Path p) {
        try {
            return Files.readString(p).contains("import com.google.zxing");
        } catch (IOException e) {
            throw new IllegalStateException("reading " + p, e);
        }
    }
}
