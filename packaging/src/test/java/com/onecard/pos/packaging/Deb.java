package com.onecard.pos.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The .deb this build made, unpacked with dpkg-deb (data with -x, control files with -e). */
final class Deb {
    static final Path TARGET = Path.of(System.getProperty("pos.packaging.target", "target")).toAbsolutePath();
    static final Path PROJECT = Path.of(System.getProperty("pos.project.root", "..")).toAbsolutePath().normalize();

    final Path file;
    final Path root;
    final Path control;

    private Deb(Path file, Path root, Path control) {
        this.file = file;
        this.root = root;
        this.control = control;
    }

    static Deb unpack(Path scratch) throws IOException, InterruptedException {
        return unpack(scratch, "onecard-pos_");
    }

    /** The package whose file name starts with {@code prefix} (onecard-pos_, onecard-center_). */
    static Deb unpack(Path scratch, String prefix) throws IOException, InterruptedException {
        assumeTrue(Sh.onPath("dpkg-deb"), "dpkg-deb not installed: cannot unpack the .deb");
        List<Path> debs;
        try (Stream<Path> s = Files.list(TARGET)) {
            debs = s.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".deb")).toList();
        }
        assertThat(debs).as("exactly one %s*.deb in %s", prefix, TARGET).hasSize(1);
        Path root = Files.createDirectories(scratch.resolve("root"));
        Path control = scratch.resolve("DEBIAN");
        Sh.Result x = Sh.run(scratch, List.of("dpkg-deb", "-x", debs.get(0).toString(), root.toString()));
        assertThat(x.exit()).as(x.out()).isZero();
        Sh.Result e = Sh.run(scratch, List.of("dpkg-deb", "-e", debs.get(0).toString(), control.toString()));
        assertThat(e.exit()).as(e.out()).isZero();
        return new Deb(debs.get(0), root, control);
    }

    Path path(String absolute) {
        return root.resolve(absolute.substring(1));
    }
}
