package com.onecard.pos.terminal.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon as systemd starts it: every configuration fault exits 2 (which the unit does not
 * restart) with one line naming the key, and no Java exception on the console.
 */
class DaemonConfigFaultsIT {
    static final String SECRET = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing secret file      | terminal.secret-file=nope.secret                      | terminal.secret-file",
            "missing certificate      | center.host=127.0.0.1\\ncenter.ca-cert=nope.pem        | center.ca-cert",
            "bad unicode escape       | terminal.label=a\\\\uZZZZ                               | terminal.label",
            "two outputs on one pin   | gpio.platform=mock\\ngpio.buzzer-pin=23                | gpio.green-pin",
            "name too long for tag 59 | terminal.merchant-name=NORTH CAMPUS STUDENT CANTEEN NO 1 | terminal.merchant-name",
            "port out of range        | center.port=0                                         | center.port",
            "key given twice          | auth.mode=offline-only\\nauth.mode=prefer-online       | auth.mode",
    })
    void aConfigurationFaultExits2NamingTheKey(String what, String lines, String key) throws Exception {
        Files.writeString(dir.resolve("terminal.secret"), SECRET);
        Path cfg = dir.resolve("pos.properties");
        Files.writeString(cfg, """
                terminal.id=T01
                terminal.data-dir=data
                terminal.secret-file=terminal.secret
                reader.driver=none
                reader.require-credential=false
                control.socket=control.sock
                display.kind=none
                """ + lines.replace("\\n", "\n").replace("\\\\", "\\") + "\n", StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Donecard.log.dir=" + dir.resolve("logs"),
                "-cp", System.getProperty("java.class.path"), Daemon.class.getName(), "--config", cfg.toString()))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("daemon stopped").isTrue();
        String out = Files.readString(dir.resolve("out.txt"));
        assertThat(p.exitValue()).as(what + ": " + out).isEqualTo(2);
        assertThat(out).contains("configuration error").contains(key).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out.lines().count()).as(out).isEqualTo(1);
    }
}
