package com.onecard.pos.packaging;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every script installs the Debian packages it runs (socat for the pty pairs) instead of stopping a newcomer. */
class ScriptsNeedsIT {
    static final Path ROOT = Path.of(System.getProperty("pos.project.root", "..")).toAbsolutePath().normalize();

    @Test
    void scriptsThatRunSocatInstallItWhenMissing() throws Exception {
        for (String script : new String[]{"simulate", "emulate-reader", "test"}) {
            String text = Files.readString(ROOT.resolve("scripts").resolve(script));
            assertThat(text).as(script).contains("ensure_cmd socat socat").doesNotContain("socat is not installed");
        }
    }
}
