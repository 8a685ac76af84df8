package com.onecard.pos.packaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** onecard-center.deb: the center's real jar and runtime, its command, sample and systemd unit. */
class CenterDebIT {
    @TempDir
    static Path scratch;
    static Deb deb;

    @BeforeAll
    static void unpack() throws Exception {
        deb = Deb.unpack(scratch, "onecard-center_");
    }

    @Test
    void controlNamesThePackageAndItsScriptsAreExecutable() throws IOException {
        assertThat(Files.readString(deb.control.resolve("control"))).contains("Package: onecard-center",
                "Architecture: all", "Depends: openjdk-17-jre-headless | java17-runtime-headless");
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertThat(deb.control.resolve(script)).isExecutable();
        }
    }

    @Test
    void libHoldsTheCenterJarAndItsRuntimeButNoTerminalOrTestJars() throws IOException {
        List<String> jars;
        try (Stream<Path> s = Files.list(deb.path("/usr/share/onecard-center/lib"))) {
            jars = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).anyMatch(j -> j.startsWith("center-")).anyMatch(j -> j.startsWith("sync-agent-"))
                .anyMatch(j -> j.startsWith("postgresql-")).anyMatch(j -> j.startsWith("HikariCP-"))
                .anyMatch(j -> j.startsWith("flyway-core-")).anyMatch(j -> j.startsWith("flyway-database-postgresql-"))
                .noneMatch(j -> j.startsWith("terminal-") || j.startsWith("simulator-") || j.startsWith("junit")
                        || j.contains("-tests"));
        Path center = deb.path("/usr/share/onecard-center/lib/" + jars.stream().filter(j -> j.startsWith("center-"))
                .findFirst().orElseThrow());
        try (JarFile jar = new JarFile(center.toFile())) {
            assertThat(jar.getEntry("com/onecard/pos/center/main/CenterMain.class")).isNotNull();
            assertThat(jar.getEntry("db/migration/V1__ledger.sql")).isNotNull();
        }
    }

    @Test
    void theUnitRunsTheCommandOnTheConfigurationAndStopsRetryingOnABadOne() throws IOException {
        String unit = Files.readString(deb.path("/lib/systemd/system/onecard-center.service"));
        assertThat(unit).contains("ExecStart=/usr/bin/onecard-center run --config /etc/onecard-center/center.properties",
                "User=onecard-center", "RestartPreventExitStatus=2", "WantedBy=multi-user.target");
        assertThat(deb.path("/usr/bin/onecard-center")).isExecutable();
        // BoringSSL for the sync port, and a folder it may be loaded from where /tmp is noexec
        assertThat(unit).contains("StateDirectory=onecard-center onecard-center/native");
        assertThat(Files.readString(deb.path("/usr/bin/onecard-center"))).contains("-Dio.netty.native.workdir=");
        assertThat(deb.path("/usr/share/onecard-center/lib/netty-tcnative-boringssl-static-2.0.84.Final-linux-x86_64.jar"))
                .isRegularFile();
        assertThat(deb.path("/usr/share/onecard-center/lib/netty-tcnative-boringssl-static-2.0.84.Final-linux-aarch_64.jar"))
                .isRegularFile();
        assertThat(Files.readString(deb.path("/usr/share/onecard-center/center.properties.sample")))
                .contains("database.url=", "sync.port=", "ledger.reversal-window-hours=");
    }
}
