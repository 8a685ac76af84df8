package com.onecard.pos.packaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** scripts/install --root DIR lays out the same files as the .deb, and keeps what is there. */
class InstallScriptIT {
    @TempDir
    static Path scratch;
    static Deb deb;
    static Path root;

    @BeforeAll
    static void install() throws Exception {
        deb = Deb.unpack(scratch.resolve("deb"));
        root = scratch.resolve("install-root");
        Sh.Result r = installInto(root);
        assertThat(r.exit()).as(r.out()).isZero();
    }

    private static Sh.Result installInto(Path dir) throws Exception {
        return Sh.run(Deb.PROJECT, List.of(Deb.PROJECT.resolve("scripts/install").toString(), "--no-build", "--root", dir.toString()));
    }

    @Test
    void everyFileOfTheDebIsInstalledWithTheSameContentAndMode() throws IOException {
        Map<String, Path> files = files(deb.root);
        assertThat(files).containsKeys("/usr/bin/posctl", "/usr/bin/onecard-posd", "/lib/systemd/system/onecard-pos.service");
        for (Map.Entry<String, Path> f : files.entrySet()) {
            Path installed = root.resolve(f.getKey().substring(1));
            assertThat(installed).as(f.getKey()).exists().hasSameBinaryContentAs(f.getValue());
            assertThat(Files.isExecutable(installed)).as("%s executable", f.getKey()).isEqualTo(Files.isExecutable(f.getValue()));
        }
        // ... and no jar that the .deb lacks (a stale one would share the classpath).
        assertThat(files(root.resolve("usr/share/onecard-pos/lib")).keySet())
                .isEqualTo(files(deb.path("/usr/share/onecard-pos/lib")).keySet());
    }

    @Test
    void configurationComesFromTheSampleAndFoldersExist() {
        assertThat(root.resolve("etc/onecard-pos/pos.properties"))
                .hasSameTextualContentAs(Deb.PROJECT.resolve("terminal/src/main/dist/pos.properties.sample"));
        assertThat(root.resolve("etc/onecard-pos/keys")).isDirectory();
        assertThat(root.resolve("var/lib/onecard-pos/tmp")).isDirectory();
        assertThat(root.resolve("var/log/onecard-pos")).isDirectory();
    }

    @Test
    void runningAgainKeepsConfigurationAndData() throws Exception {
        Path again = scratch.resolve("again");
        assertThat(installInto(again).exit()).isZero();
        Path config = again.resolve("etc/onecard-pos/pos.properties");
        Path env = again.resolve("etc/onecard-pos/onecard-pos.env");
        Path db = again.resolve("var/lib/onecard-pos/terminal.db");
        Files.writeString(config, "terminal.id=EDITED\n");
        Files.writeString(env, "ONECARD_POS_JAVA_OPTS=-Xmx96m\n");
        Files.writeString(db, "sales");
        Files.writeString(again.resolve("usr/share/onecard-pos/lib/old-dependency-0.9.jar"), "stale");

        Sh.Result r = installInto(again);

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(config).hasContent("terminal.id=EDITED");
        assertThat(env).hasContent("ONECARD_POS_JAVA_OPTS=-Xmx96m");
        assertThat(db).hasContent("sales");
        assertThat(again.resolve("usr/share/onecard-pos/lib/old-dependency-0.9.jar")).doesNotExist();
        assertThat(again.resolve("usr/share/onecard-pos/lib/sqlite-jdbc-3.53.2.0.jar")).exists();
    }

    @Test
    void uninstallKeepsDataAndPurgeKeepsTheJournalToo() throws Exception {
        Path dir = scratch.resolve("uninstall");
        assertThat(installInto(dir).exit()).isZero();
        Files.writeString(dir.resolve("var/lib/onecard-pos/terminal.db"), "sales");
        String uninstall = Deb.PROJECT.resolve("scripts/uninstall").toString();

        Sh.Result remove = Sh.run(Deb.PROJECT, List.of(uninstall, "--root", dir.toString()));
        assertThat(remove.exit()).as(remove.out()).isZero();
        assertThat(dir.resolve("usr/bin/posctl")).doesNotExist();
        assertThat(dir.resolve("usr/share/onecard-pos")).doesNotExist();
        assertThat(dir.resolve("lib/systemd/system/onecard-pos.service")).doesNotExist();
        assertThat(dir.resolve("etc/onecard-pos/pos.properties")).exists();

        Sh.Result purge = Sh.run(Deb.PROJECT, List.of(uninstall, "--purge", "--root", dir.toString()));
        assertThat(purge.exit()).as(purge.out()).isZero();
        assertThat(dir.resolve("etc/onecard-pos/pos.properties")).doesNotExist();
        assertThat(dir.resolve("var/log/onecard-pos")).doesNotExist();
        assertThat(dir.resolve("var/lib/onecard-pos/terminal.db")).hasContent("sales");
        assertThat(dir.resolve("etc/onecard-pos/keys")).isDirectory();
    }

    private static Map<String, Path> files(Path base) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(base)) {
            s.filter(Files::isRegularFile).forEach(p -> out.put("/" + base.relativize(p), p));
        }
        return out;
    }
}
