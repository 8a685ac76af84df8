package com.onecard.pos.terminal.cli;

import com.onecard.pos.terminal.app.TerminalApp;
import com.onecard.pos.terminal.config.ConfigKey;
import com.onecard.pos.terminal.config.ConfigKeys;
import com.onecard.pos.terminal.config.ConfigLoader;
import com.onecard.pos.terminal.testutil.PosCtlRun;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** posctl config set / show / validate against a daemon started from a real file. */
class ConfigCommandIT {
    @TempDir
    Path dir;

    @Test
    void aClampedValueIsSaidInTheAnswerNotOnlyInTheLog() throws Exception {
        var cfg = TestConfigs.file(dir);
        try (TerminalApp app = TerminalApp.start(cfg, com.onecard.pos.terminal.testutil.TestKeys.inMemory("T01"), Clock.systemDefaultZone(), screen -> { })) {
            var r = PosCtlRun.of("config", "set", "--socket", cfg.control().socket().toString(), "sale.card-timeout-ms", "5");
            assertThat(r.exit).as(r.toString()).isZero();
            assertThat(r.out).contains("sale.card-timeout-ms=1000: saved and applied")
                    .contains("warning: sale.card-timeout-ms=5 is outside 1000..300000 ms, using 1000");
        }
    }

    @Test
    void aPinAlreadyUsedIsRefusedWithExit2AndTheFileKept() throws Exception {
        var cfg = TestConfigs.file(dir, "gpio.platform", "none");
        String before = Files.readString(cfg.source());
        try (TerminalApp app = TerminalApp.start(cfg, com.onecard.pos.terminal.testutil.TestKeys.inMemory("T01"), Clock.systemDefaultZone(), screen -> { })) {
            var r = PosCtlRun.of("config", "set", "--socket", cfg.control().socket().toString(), "gpio.buzzer-pin", "23");
            assertThat(r.exit).as(r.toString()).isEqualTo(2);
            assertThat(r.err).contains("gpio.green-pin").contains("BCM GPIO 23").doesNotContain("Exception");
        }
        assertThat(Files.readString(cfg.source())).isEqualTo(before);
    }

    @Test
    void configShowListsTheEffectiveValueOfEveryKey() throws Exception {
        var cfg = TestConfigs.file(dir);
        try (TerminalApp app = TerminalApp.start(cfg, com.onecard.pos.terminal.testutil.TestKeys.inMemory("T01"), Clock.systemDefaultZone(), screen -> { })) {
            var r = PosCtlRun.of("config", "show", "--socket", cfg.control().socket().toString());
            assertThat(r.exit).as(r.toString()).isZero();
            for (ConfigKey k : ConfigKeys.all()) {
                assertThat(r.out).as(k.name()).containsPattern("(?m)^" + java.util.regex.Pattern.quote(k.name()) + "=");
            }
            assertThat(r.out).contains("auth.pin.sale-threshold-fen=0").contains("gpio.red-pin=24")
                    .contains("center.heartbeat-ms=5000").doesNotContain("00112233445566778899");
        }
    }

    @Test
    void aBrokenFileGivenWithConfigExits2NamingTheLineNotAJavaException() throws Exception {
        Path f = dir.resolve("pos.properties");
        Files.writeString(f, "terminal.id=T01\nterminal.label=a\\uZZZZ\n");
        var show = PosCtlRun.of("status", "--config", f.toString());
        assertThat(show.exit).as(show.toString()).isEqualTo(2);
        assertThat(show.err).contains("line 2").contains("terminal.label").doesNotContain("IllegalArgumentException");
        var validate = PosCtlRun.of("config", "validate", f.toString());
        assertThat(validate.exit).as(validate.toString()).isEqualTo(2);
        assertThat(validate.err).contains("line 2").contains("terminal.label");
    }

    @Test
    void validateChecksTheFilesTheKeysName() throws Exception {
        Files.writeString(dir.resolve("issuer.pub.pem"), "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n");
        var cfg = TestConfigs.file(dir, "card.issuer-public-keys", dir.resolve("issuer.pub.pem").toString());
        assertThat(PosCtlRun.of("config", "validate", cfg.source().toString()).exit).isZero();
        Files.delete(dir.resolve("issuer.pub.pem"));
        var r = PosCtlRun.of("config", "validate", cfg.source().toString());
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("card.issuer-public-keys").contains("does not exist");
        assertThat(ConfigLoader.load(cfg.source(), ConfigLoader.Checks.KEYS).terminal().id()).isEqualTo("T01");
    }
}
