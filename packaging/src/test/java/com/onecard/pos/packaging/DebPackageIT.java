package com.onecard.pos.packaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DebPackageIT {
    @TempDir
    static Path scratch;
    static Deb deb;

    @BeforeAll
    static void unpack() throws Exception {
        deb = Deb.unpack(scratch);
    }

    @Test
    void controlFileNamesPackageDependenciesAndArchitecture() throws IOException {
        String control = Files.readString(deb.control.resolve("control"));
        assertThat(control).contains("Package: onecard-pos", "Architecture: all",
                "Depends: openjdk-17-jre-headless | java17-runtime-headless, fonts-wqy-zenhei");
        assertThat(deb.control.resolve("postinst")).isExecutable();
        assertThat(deb.control.resolve("prerm")).isExecutable();
        assertThat(deb.control.resolve("postrm")).isExecutable();
        assertThat(Files.readAllLines(deb.control.resolve("conffiles"))).containsExactly("/etc/onecard-pos/onecard-pos.env");
    }

    @Test
    void libHoldsTheRealTerminalJarAndItsRuntimeDependencies() throws IOException {
        Path lib = deb.path("/usr/share/onecard-pos/lib");
        List<String> jars;
        try (Stream<Path> s = Files.list(lib)) {
            jars = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).anyMatch(j -> j.startsWith("terminal-"))
                .anyMatch(j -> j.startsWith("reader-driver-"))
                .anyMatch(j -> j.startsWith("sync-agent-"))
                .anyMatch(j -> j.startsWith("qr-display-"))
                .anyMatch(j -> j.startsWith("sqlite-jdbc-"))
                .anyMatch(j -> j.startsWith("netty-"))
                .anyMatch(j -> j.startsWith("picocli-"))
                .anyMatch(j -> j.startsWith("logback-classic-"))
                .anyMatch(j -> j.startsWith("jSerialComm-"))
                .noneMatch(j -> j.startsWith("junit") || j.startsWith("jqwik") || j.startsWith("assertj") || j.startsWith("mockito"));
        // A stale, empty terminal jar from ~/.m2 would also match the names above.
        Path terminal = lib.resolve(jars.stream().filter(j -> j.startsWith("terminal-")).findFirst().orElseThrow());
        try (JarFile jar = new JarFile(terminal.toFile())) {
            assertThat(jar.getEntry("com/onecard/pos/terminal/app/Daemon.class")).isNotNull();
            assertThat(jar.getEntry("com/onecard/pos/terminal/cli/PosCtl.class")).isNotNull();
        }
    }

    /**
     * gpio.platform=pi on the package's own class path: pi4j resolves the buzzer and LEDs to its
     * gpiod provider, and the mock (whose priority would win over gpiod's) is not in the package.
     */
    @Test
    void gpioInThePackageResolvesToGpiodAndTheMockIsNotThere() throws Exception {
        List<String> jars;
        try (Stream<Path> s = Files.list(deb.path("/usr/share/onecard-pos/lib"))) {
            jars = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).anyMatch(j -> j.startsWith("pi4j-plugin-gpiod-")).anyMatch(j -> j.startsWith("pi4j-library-gpiod-"))
                .noneMatch(j -> j.startsWith("pi4j-plugin-mock"));
        Sh.Result r = Sh.run(scratch, env(), List.of(deb.path("/usr/bin/posctl").toString(), "feedback", "providers"));
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("gpio.platform=pi resolves to gpiod-digital-output").contains("GpioDPlugin")
                .doesNotContain("Mock").doesNotContain("NOT");
    }

    @Test
    void wrappersAndSampleAreInPlace() {
        assertThat(deb.path("/usr/bin/onecard-posd")).isExecutable();
        assertThat(deb.path("/usr/bin/posctl")).isExecutable();
        assertThat(deb.path("/usr/share/onecard-pos/bin/onecard-pos-health")).isExecutable();
        assertThat(deb.path("/usr/share/doc/onecard-pos/pos.properties.sample")).isRegularFile();
        assertThat(deb.path("/usr/share/onecard-pos/pos.properties.sample")).hasSameTextualContentAs(
                Deb.PROJECT.resolve("terminal/src/main/dist/pos.properties.sample"));
        // Installed by postinst only when absent, so never a file of the package itself.
        assertThat(deb.path("/etc/onecard-pos/pos.properties")).doesNotExist();
    }

    @Test
    void daemonUnitRunsTheWrapperAsItsOwnUserAndRestarts() throws IOException {
        String unit = Files.readString(deb.path("/lib/systemd/system/onecard-pos.service"));
        assertThat(unit).contains("User=onecard-pos\n", "Group=onecard-pos\n",
                "ExecStart=/usr/bin/onecard-posd --config /etc/onecard-pos/pos.properties\n",
                "Restart=always\n", "RestartSec=2\n", "RuntimeDirectory=onecard-pos\n", "RuntimeDirectoryMode=0750\n",
                "StateDirectory=onecard-pos", "LogsDirectory=onecard-pos\n", "ConfigurationDirectory=onecard-pos\n",
                "NoNewPrivileges=yes\n", "ProtectSystem=full\n", "ProtectHome=yes\n", "PrivateTmp=yes\n",
                "WantedBy=multi-user.target");
        String timer = Files.readString(deb.path("/lib/systemd/system/onecard-pos-health.timer"));
        assertThat(timer).contains("OnUnitActiveSec=1min", "WantedBy=timers.target");
        String health = Files.readString(deb.path("/lib/systemd/system/onecard-pos-health.service"));
        assertThat(health).contains("ExecStart=/usr/share/onecard-pos/bin/onecard-pos-health", "Type=oneshot");
    }

    /** Syntax only: the units are copied with their binaries pointed into the scratch root. */
    @Test
    void unitsPassSystemdAnalyzeVerify() throws Exception {
        assumeTrue(Sh.onPath("systemd-analyze"), "systemd-analyze not installed");
        Path dir = Files.createDirectories(scratch.resolve("units"));
        List<String> cmd = new ArrayList<>(List.of("systemd-analyze", "verify"));
        for (String name : List.of("onecard-pos.service", "onecard-pos-health.service", "onecard-pos-health.timer")) {
            String text = Files.readString(deb.path("/lib/systemd/system/" + name))
                    .replace("/usr/bin/", deb.root + "/usr/bin/")
                    .replace("/usr/share/onecard-pos/bin/", deb.root + "/usr/share/onecard-pos/bin/");
            Files.writeString(dir.resolve(name), text);
            cmd.add(dir.resolve(name).toString());
        }
        Sh.Result r = Sh.run(dir, cmd);
        assertThat(r.out()).as("systemd-analyze verify said:%n%s", r.out())
                .doesNotContainIgnoringCase("unknown key")
                .doesNotContainIgnoringCase("unknown section")
                .doesNotContainIgnoringCase("failed to parse")
                .doesNotContainIgnoringCase("invalid")
                .doesNotContain("ignoring");
    }

    @Test
    void posctlFromTheScratchRootPrintsUsage() throws Exception {
        Sh.Result r = Sh.run(scratch, env(), List.of(deb.path("/usr/bin/posctl").toString(), "--help"));
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("Usage: posctl", "selftest", "status");
    }

    /** posctl, often run as root, must not create files in the daemon's log folder (it could not write them). */
    @Test
    void posctlLeavesTheDaemonsLogFolderAlone() throws Exception {
        Path logs = Files.createDirectories(scratch.resolve("daemon-logs"));
        Sh.Result r = Sh.run(scratch,
                Map.of("ONECARD_POS_HOME", deb.path("/usr/share/onecard-pos").toString(), "ONECARD_POS_LOG_DIR", logs.toString()),
                List.of(deb.path("/usr/bin/posctl").toString(), "config", "validate", "--no-files",
                        deb.path("/usr/share/onecard-pos/pos.properties.sample").toString()));
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("valid");
        assertThat(logs).isEmptyDirectory();
    }

    @Test
    void daemonFromTheScratchRootStartsJavaAndRefusesAMissingConfig() throws Exception {
        Sh.Result usage = Sh.run(scratch, env(), List.of(deb.path("/usr/bin/onecard-posd").toString()));
        assertThat(usage.exit()).as(usage.out()).isEqualTo(2);
        assertThat(usage.out()).contains("usage: onecard-posd --config FILE");
        Sh.Result missing = Sh.run(scratch, env(), List.of(deb.path("/usr/bin/onecard-posd").toString(),
                "--config", scratch.resolve("no-such.properties").toString()));
        assertThat(missing.exit()).as(missing.out()).isEqualTo(2);
        assertThat(missing.out()).contains("configuration error");
    }

    @Test
    void shellScriptsParse() throws Exception {
        for (Path script : scripts()) {
            for (String shell : List.of("sh", "bash")) {
                Sh.Result r = Sh.run(scratch, List.of(shell, "-n", script.toString()));
                assertThat(r.exit()).as("%s -n %s: %s", shell, script, r.out()).isZero();
            }
        }
    }

    @Test
    void shellScriptsPassShellcheck() throws Exception {
        assumeTrue(Sh.onPath("shellcheck"), "shellcheck not installed");
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "-s", "sh"));
        scripts().forEach(p -> cmd.add(p.toString()));
        Sh.Result r = Sh.run(scratch, cmd);
        assertThat(r.exit()).as(r.out()).isZero();
    }

    private static List<Path> scripts() {
        return List.of(deb.control.resolve("postinst"), deb.control.resolve("prerm"), deb.control.resolve("postrm"),
                deb.path("/usr/bin/onecard-posd"), deb.path("/usr/bin/posctl"),
                deb.path("/usr/share/onecard-pos/bin/onecard-pos-health"));
    }

    private static Map<String, String> env() {
        return Map.of("ONECARD_POS_HOME", deb.path("/usr/share/onecard-pos").toString(),
                "ONECARD_POS_LOG_DIR", scratch.resolve("log").toString(),
                "ONECARD_POS_TMP_DIR", scratch.toString());
    }
}
