package com.onecard.pos.packaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped health-check script, with systemctl and posctl replaced by fakes: it restarts the
 * daemon when the control socket does not answer, and only then.
 */
class HealthCheckIT {
    @TempDir
    static Path scratch;
    static Path script;
    static Path fakes;

    @BeforeAll
    static void fakes() throws Exception {
        Deb deb = Deb.unpack(scratch.resolve("deb"));
        script = deb.path("/usr/share/onecard-pos/bin/onecard-pos-health");
        fakes = Files.createDirectories(scratch.resolve("bin"));
        executable(fakes.resolve("systemctl"), """
                #!/bin/sh
                echo "systemctl $*" >> "$FAKE_LOG"
                case $1 in
                  is-active) exit "$FAKE_INACTIVE" ;;
                  show) echo "$FAKE_SINCE_US" ;;
                esac
                exit 0
                """);
        executable(fakes.resolve("posctl"), """
                #!/bin/sh
                echo "posctl $*" >> "$FAKE_LOG"
                [ "$FAKE_POSCTL" = hang ] && exec sleep 30
                echo '{"passed":false}'
                exit "$FAKE_POSCTL"
                """);
    }

    private static void executable(Path p, String text) throws Exception {
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs the check; returns the fakes' log. */
    private static String check(String posctlExit, boolean active, long sinceUs) throws Exception {
        Path log = Files.createTempFile(scratch, "calls", ".log");
        Map<String, String> env = new HashMap<>();
        env.put("PATH", fakes + ":" + System.getenv("PATH"));
        env.put("FAKE_LOG", log.toString());
        env.put("FAKE_INACTIVE", active ? "0" : "3");
        env.put("FAKE_SINCE_US", Long.toString(sinceUs));
        env.put("FAKE_POSCTL", posctlExit);
        env.put("ONECARD_POS_POSCTL", fakes.resolve("posctl").toString());
        env.put("ONECARD_POS_USER", "no-such-user-onecard");
        env.put("ONECARD_POS_HEALTH_TIMEOUT", "2");
        Sh.Result r = Sh.run(scratch, env, List.of(script.toString()));
        assertThat(r.exit()).as(r.out()).isZero();
        return Files.readString(log);
    }

    private static long uptimeUs() throws Exception {
        String s = Files.readString(Path.of("/proc/uptime")).split(" ")[0];
        return (long) (Double.parseDouble(s) * 1_000_000);
    }

    @Test
    void socketNotAnsweringRestartsTheDaemon() throws Exception {
        assertThat(check("3", true, 1)).contains("posctl selftest --json", "systemctl restart onecard-pos.service");
    }

    @Test
    void selftestThatHangsRestartsTheDaemon() throws Exception {
        assertThat(check("hang", true, 1)).contains("systemctl restart onecard-pos.service");
    }

    @Test
    void readerFaultIsNotARestart() throws Exception {
        assertThat(check("4", true, 1)).contains("posctl selftest --json").doesNotContain("restart");
    }

    @Test
    void healthyDaemonIsLeftAlone() throws Exception {
        assertThat(check("0", true, 1)).contains("posctl selftest --json").doesNotContain("restart");
    }

    @Test
    void stoppedDaemonIsLeftStopped() throws Exception {
        assertThat(check("3", false, 1)).doesNotContain("posctl").doesNotContain("restart");
    }

    @Test
    void daemonStillStartingIsGivenTime() throws Exception {
        assertThat(check("3", true, uptimeUs())).doesNotContain("posctl").doesNotContain("restart");
    }
}
