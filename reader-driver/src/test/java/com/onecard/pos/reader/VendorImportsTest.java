package com.onecard.pos.reader;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A vendor library is imported in one place only (ARCHITECTURE.md). */
class VendorImportsTest {
    private static final Path MAIN = Path.of("src/main/java/com/onecard/pos/reader");

    @Test
    void jSerialCommOnlyInTheSerialLink() throws IOException {
        assertThat(importers("com.fazecast")).containsExactly("serial/JSerialCommLink.java");
    }

    @Test
    void pi4jOnlyInGpio() throws IOException {
        assertThat(importers("com.pi4j")).isNotEmpty().allMatch(f -> f.startsWith("gpio/"));
    }

    private static List<String> importers(String pkg) throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> {
                        try {
                            return Files.readString(f).contains("import " + pkg);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(f -> MAIN.relativize(f).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
