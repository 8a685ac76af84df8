package com.onecard.pos.terminal.app;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.testutil.ProvisionedTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's exit status, which systemd acts on: a transient storage error or a token not
 * present is 1 (restarted), only a journal that fails verification is 3 (kept down), a token that
 * refuses the PIN or holds another terminal's key is 2 (kept down, and told apart from an edited
 * journal by the key's check value), and running out of heap kills the JVM (restarted) instead of
 * leaving a daemon that lost a thread. The daemon opens a real SoftHSM2 token made by
 * scripts/provision.
 */
class DaemonExitIT {
    @TempDir
    Path dir;
    static ProvisionedTerminal keys;
    Map<String, String> env = Map.of();

    @org.junit.jupiter.api.BeforeAll
    static void provision(@TempDir Path keyDir) throws Exception {
        keys = ProvisionedTerminal.provision(keyDir.resolve("keys"), "T01", "T02");
    }

    private Path config() throws Exception {
        return config("T01", Map.of());
    }

    /** T01's configuration with the token of {@code tokenOf} and the given overrides. */
    private Path config(String tokenOf, Map<String, String> overrides) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("terminal.id", "T01");
        m.put("terminal.data-dir", dir.toString());
        m.put("reader.driver", "none");
        m.put("reader.require-credential", "false");
        m.put("auth.mode", "offline-only");
        m.put("display.kind", "none");
        m.put("control.socket", dir.resolve("control.sock").toString());
        m.putAll(keys.tokenConfig(tokenOf));
        m.putAll(overrides);
        env = keys.env(tokenOf);
        Path cfg = dir.resolve("pos.properties");
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Files.writeString(cfg, sb.toString(), StandardCharsets.UTF_8);
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
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("daemon.out").toFile());
        pb.environment().putAll(env);
        return pb.start();
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
        try (Store s = Store.open(db, keys.secret("T01"))) {
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
        try (Store s = Store.open(db, keys.secret("T01"))) {
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

    @Test
    void anotherTerminalsTokenIsReportedAsTheWrongKeyNotAsAnEditedJournal() throws Exception {
        try (Store s = Store.open(dir.resolve("terminal.db"), keys.secret("T01"))) {
            s.append(sale(1));
        }
        Path cfg = config("T02", Map.of());
        assertThat(exit(daemon(cfg, Daemon.class.getName(), List.of()))).as(output()).isEqualTo(2);
        assertThat(output()).contains("not the key journal").contains("check value").doesNotContain("fails its MAC");
    }

    @Test
    void aTokenThatRefusesThePinStopsWithTwoSoNoRetryLocksIt() throws Exception {
        Path pin = dir.resolve("wrong.pin");
        Files.writeString(pin, "0000000000\n");
        Files.setPosixFilePermissions(pin, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
        assertThat(exit(daemon(config("T01", Map.of("token.pin-file", pin.toString())), Daemon.class.getName(), List.of())))
                .as(output()).isEqualTo(2);
        assertThat(output()).contains("refused the PIN").contains("CKR_PIN_INCORRECT").doesNotContain("0000000000");
    }

    @Test
    void aPinFileOthersCanReadIsRefused() throws Exception {
        Path pin = dir.resolve("open.pin");
        Files.copy(keys.terminalDir("T01").resolve("token.pin"), pin);
        Files.setPosixFilePermissions(pin, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(exit(daemon(config("T01", Map.of("token.pin-file", pin.toString())), Daemon.class.getName(), List.of())))
                .as(output()).isEqualTo(2);
        assertThat(output()).contains("can be read by its group or by everyone").contains("chmod 0400");
    }

    @Test
    void aTokenNotThereYetExitsOneSoSystemdTriesAgain() throws Exception {
        Path cfg = config("T01", Map.of());
        Path empty = dir.resolve("no-tokens");
        Files.createDirectories(empty.resolve("tokens"));
        Files.writeString(empty.resolve("softhsm2.conf"), "directories.tokendir = " + empty.resolve("tokens") + "\n");
        env = Map.of("SOFTHSM2_CONF", empty.resolve("softhsm2.conf").toString());
        assertThat(exit(daemon(cfg, Daemon.class.getName(), List.of()))).as(output()).isEqualTo(1);
        assertThat(output()).contains("key token").contains("not available");
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
