package com.onecard.pos.terminal.app;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's exit status, which systemd acts on: a transient storage error is 1 (restarted),
 * only a journal that fails verification is 3 (kept down), and running out of heap kills the JVM
 * (restarted) instead of leaving a daemon that lost a thread.
 */
class DaemonExitIT {
    static final String SECRET = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;

    private Path config() throws Exception {
        Files.writeString(dir.resolve("secret"), SECRET);
        Path cfg = dir.resolve("pos.properties");
        Files.writeString(cfg, String.join("\n",
                "terminal.id=T01",
                "terminal.data-dir=" + dir,
                "terminal.secret-file=" + dir.resolve("secret"),
                "reader.driver=none",
                "reader.require-credential=false",
                "auth.mode=offline-only",
                "display.kind=none",
                "control.socket=" + dir.resolve("control.sock")) + "\n", StandardCharsets.UTF_8);
        return cfg;
    }

    private Process daemon(Path cfg, String mainClass, List<String> extraJvm) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(DaemonJvm.options());
        cmd.addAll(extraJvm);
        cmd.add("-Donecard.log.dir=" + dir.resolve("logs"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        if (cfg != null) {
            cmd.addAll(List.of("--config", cfg.toString()));
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("daemon.out").toFile()).start();
    }

    private int exit(Process p) throws Exception {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("daemon ended; output: " + output()).isTrue();
        return p.exitValue();
    }

    private String output() throws Exception {
        Path out = dir.resolve("daemon.out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    private static JournalRow sale(int i) {
        return JournalRow.newBuilder().setKind(RowKind.SALE).setSaleId("T01-" + i).setTimeMs(1000)
                .setCardUid(ByteString.copyFrom(new byte[4])).setAccountId(7).setAmountFen(100).setCashFen(100)
                .setMode(AuthMode.OFFLINE).build();
    }

    @Test
    void aDatabaseLockedByAnotherProcessExitsOneSoSystemdTriesAgain() throws Exception {
        Path cfg = config();
        Path db = dir.resolve("terminal.db");
        try (Store s = Store.open(db, HexFormat.of().parseHex(SECRET))) {
            s.append(sale(1));
        }
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            holder.createStatement().execute("PRAGMA locking_mode=EXCLUSIVE");
            holder.createStatement().execute("BEGIN EXCLUSIVE");
            int code = exit(daemon(cfg, Daemon.class.getName(), List.of()));
            assertThat(code).as(output()).isEqualTo(1);
            assertThat(output()).contains("storage error (systemd will try again)");
        }
    }

    /** gpio.platform=pi where no line can be driven (this test machine is no Raspberry Pi): refused before anything opens. */
    @Test
    void gpioThatCannotDriveItsLinesIsAConfigurationErrorExitTwoNamingThem() throws Exception {
        Path cfg = config();
        Files.writeString(cfg, "gpio.platform=pi\ngpio.red-pin=24\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        assertThat(exit(daemon(cfg, Daemon.class.getName(), List.of()))).as(output()).isEqualTo(2);
        assertThat(output()).contains("configuration error: gpio.platform=pi").doesNotContain("Exception");
        if (!Files.isDirectory(Path.of("/sys/class/gpio"))) {
            assertThat(output()).contains("buzzer line 18", "red LED line 24");
        }
        assertThat(dir.resolve("terminal.db")).doesNotExist();
    }

    @Test
    void aTamperedJournalExitsThree() throws Exception {
        Path cfg = config();
        Path db = dir.resolve("terminal.db");
        try (Store s = Store.open(db, HexFormat.of().parseHex(SECRET))) {
            for (int i = 1; i <= 3; i++) {
                s.append(sale(i));
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().executeUpdate("UPDATE journal SET amount_fen=1 WHERE seq=2");
        }
        assertThat(exit(daemon(cfg, Daemon.class.getName(), List.of()))).as(output()).isEqualTo(3);
        assertThat(output()).contains("journal failed verification").contains("journal row 2");
    }

    @Test
    void runningOutOfHeapUnderTheDaemonsFlagsKillsTheJvmInsteadOfExitingThree() throws Exception {
        int code = exit(daemon(null, HeapHog.class.getName(), List.of()));
        assertThat(code).as("killed by SIGKILL (128 + 9), which systemd restarts; output: " + output()).isEqualTo(137);
        assertThat(output()).contains("OutOfMemoryError");
    }

    /** Fills the heap; run as a JVM of its own under the daemon's flags. */
    public static final class HeapHog {
        public static void main(String[] args) {
            List<long[]> hog = new ArrayList<>();
            while (true) {
                hog.add(new long[1 << 16]);
            }
        }
    }
}
