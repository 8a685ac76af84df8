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
            "retired key file         | terminal.secret-file=nope.secret                        | terminal.secret-file   | no longer used",
            "missing issuer keys      | card.issuer-public-keys=nope.pem                        | card.issuer-public-keys | does not exist",
            "missing certificate      | center.host=127.0.0.1\\ncenter.ca-cert=nope.pem          | center.ca-cert         | does not exist",
            "bad unicode escape       | terminal.label=a\\\\uZZZZ                                 | terminal.label         | \\uXXXX",
            "two outputs on one pin   | gpio.platform=mock\\ngpio.buzzer-pin=23                  | gpio.green-pin         | BCM GPIO 23",
            "name too long for tag 59 | terminal.merchant-name=NORTH CAMPUS STUDENT CANTEEN NO 1 | terminal.merchant-name | at most 25",
            "port out of range        | center.port=0                                           | center.port            | between 1 and 65535",
            "key given twice          | auth.mode=offline-only\\nauth.mode=prefer-online         | auth.mode              | set twice",
    })
    void aConfigurationFaultExits2NamingTheKey(String what, String lines, String key, String fault) throws Exception {
        Path cfg = dir.resolve("pos.properties");
        var keys = new java.util.LinkedHashMap<String, String>();
        for (String line : ("terminal.id=T01\nterminal.data-dir=data\nreader.driver=none\n"
                + "reader.require-credential=false\ncontrol.socket=control.sock\ndisplay.kind=none").split("\n")) {
            keys.put(line.substring(0, line.indexOf('=')), line);
        }
        StringBuilder text = new StringBuilder();
        for (String line : lines.replace("\\n", "\n").replace("\\\\", "\\").split("\n")) {
            String k = line.substring(0, line.indexOf('=')).trim();
            if (keys.containsKey(k)) {
                keys.put(k, line.trim()); // this case's value replaces the base one
            } else {
                text.append(line.trim()).append('\n');
            }
        }
        Files.writeString(cfg, String.join("\n", keys.values()) + "\n" + text, StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Donecard.log.dir=" + dir.resolve("logs"),
                "-cp", System.getProperty("java.class.path"), Daemon.class.getName(), "--config", cfg.toString()))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("daemon stopped").isTrue();
        String out = Files.readString(dir.resolve("out.txt"));
        assertThat(p.exitValue()).as(what + ": " + out).isEqualTo(2);
        assertThat(out).contains("configuration error").contains(key).contains(fault).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out.lines().count()).as(out).isEqualTo(1);
    }
}
