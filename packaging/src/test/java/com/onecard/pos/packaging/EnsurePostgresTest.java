package com.onecard.pos.packaging;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/lib.sh: after installing Debian's postgresql (scripts/simulate and scripts/test on a
 * fresh machine), the cluster that the install created and started is stopped and set to start
 * manually; clusters that were there before are left alone. Debian's cluster tools are stand-ins
 * here (the test must not stop a real cluster): they record what they were asked to do.
 */
class EnsurePostgresTest {
    @TempDir
    Path dir;
    Path bin;
    Path etc;

    @BeforeEach
    void stubs() throws IOException {
        bin = Files.createDirectories(dir.resolve("bin"));
        etc = dir.resolve("etc");
        for (String c : List.of("14/old", "15/main")) {
            Files.createDirectories(etc.resolve(c));
            Files.writeString(etc.resolve(c).resolve("start.conf"), "auto\n");
        }
        Files.writeString(dir.resolve("clusters"), """
                14  old  5433 online postgres /var/lib/postgresql/14/old  /var/log/postgresql/postgresql-14-old.log
                15  main 5432 online postgres /var/lib/postgresql/15/main /var/log/postgresql/postgresql-15-main.log
                """);
        stub("pg_lsclusters", "cat '" + dir.resolve("clusters") + "'");
        stub("pg_ctlcluster", "echo \"$*\" >> '" + dir.resolve("ctl.log") + "'");
        stub("sudo", "exec \"$@\"");
    }

    private void stub(String name, String body) throws IOException {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Sh.Result quiet(String before) throws Exception {
        return Sh.run(Deb.PROJECT, Map.of("PATH", bin + ":" + System.getenv("PATH"), "PG_ETC", etc.toString(),
                "BEFORE", before), List.of("bash", "-c", ". scripts/lib.sh && quiet_new_pg_clusters \"$BEFORE\""));
    }

    @Test
    void theClusterTheInstallStartedIsStoppedAndSetToStartManually() throws Exception {
        Sh.Result r = quiet("14/old");

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(dir.resolve("ctl.log")).hasContent("15 main stop");
        assertThat(etc.resolve("15/main/start.conf")).hasContent("manual");
        assertThat(etc.resolve("14/old/start.conf")).as("a cluster that was there before").hasContent("auto");
        assertThat(r.out()).contains("15/main").contains("pg_ctlcluster 15 main start")
                .contains("pg_dropcluster 15 main");
    }

    @Test
    void clustersThatWereThereBeforeAreLeftAlone() throws Exception {
        Sh.Result r = quiet("14/old\n15/main");

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(dir.resolve("ctl.log")).doesNotExist();
        assertThat(etc.resolve("15/main/start.conf")).hasContent("auto");
        assertThat(r.out()).isEmpty();
    }
}
