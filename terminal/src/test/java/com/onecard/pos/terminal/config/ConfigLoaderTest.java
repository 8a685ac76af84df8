package com.onecard.pos.terminal.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Properties base() {
        Properties p = new Properties();
        p.setProperty("terminal.id", "T01");
        p.setProperty("reader.require-credential", "false");
        return p;
    }

    @Test
    void defaultsApplyWhenOnlyTheIdIsGiven() throws Exception {
        TerminalConfig c = ConfigLoader.parse(base(), dir);
        assertThat(c.auth().mode()).isEqualTo(AuthMode.PREFER_ONLINE);
        assertThat(c.auth().onlineDeadline()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.reader().baud()).isEqualTo(115200);
        assertThat(c.sale().periods()).hasSize(4);
    }

    @Test
    void readerAndScannerModelsComeFromTheRegistryWithTheirDefaultBauds() throws Exception {
        Properties p = base();
        p.setProperty("reader.driver", "rdm6300");
        p.setProperty("scanner.driver", "scanner");
        p.setProperty("keypad.device", "/dev/input/by-id/usb-SEM_USB_Keypad-event-kbd");
        TerminalConfig c = ConfigLoader.parse(p, dir);
        assertThat(c.reader().baud()).isEqualTo(9600);
        assertThat(c.scanner()).isEqualTo(new TerminalConfig.Scanner("scanner", "/dev/ttyACM0", 9600));
        assertThat(c.keypad().device()).isEqualTo(Path.of("/dev/input/by-id/usb-SEM_USB_Keypad-event-kbd"));
        assertThat(ConfigLoader.describe(c)).contains("scanner.driver=scanner").contains("keypad.device=/dev/input/by-id/");
        TerminalConfig none = ConfigLoader.parse(base(), dir);
        assertThat(none.scanner().driver()).isEqualTo("none");
        assertThat(none.keypad().device()).isNull();
    }

    @Test
    void aModelOfTheWrongRoleOrUnknownIsRefusedListingTheRegisteredOnes() {
        Properties p = base();
        p.setProperty("reader.driver", "scanner");
        assertThatThrownBy(() -> ConfigLoader.parse(p, dir)).hasMessageContaining("reader.driver")
                .hasMessageContaining("pn532, rdm6300 or none").hasMessageContaining("'scanner'");
        Properties q = base();
        q.setProperty("scanner.driver", "gm65");
        assertThatThrownBy(() -> ConfigLoader.parse(q, dir)).hasMessageContaining("scanner.driver")
                .hasMessageContaining("scanner or none").hasMessageContaining("'gm65'");
    }

    @Test
    void missingIdIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.parse(new Properties(), dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("terminal.id").hasMessageContaining("missing");
    }

    @Test
    void malformedNumberNamesTheKeyAndValue() {
        Properties p = base();
        p.setProperty("auth.offline.max-sale-fen", "12.5");
        assertThatThrownBy(() -> ConfigLoader.parse(p, dir))
                .hasMessageContaining("auth.offline.max-sale-fen").hasMessageContaining("12.5");
    }

    @Test
    void unknownKeyIsRefused() {
        Properties p = base();
        p.setProperty("auth.moed", "offline-only");
        assertThatThrownBy(() -> ConfigLoader.parse(p, dir)).hasMessageContaining("auth.moed").hasMessageContaining("unknown");
    }

    @Test
    void badModeIsRefusedWithTheChoices() {
        Properties p = base();
        p.setProperty("auth.mode", "sometimes");
        assertThatThrownBy(() -> ConfigLoader.parse(p, dir)).hasMessageContaining("auth.mode").hasMessageContaining("prefer-online");
    }

    @Test
    void outOfRangeDeadlineIsClampedNotFatal() throws Exception {
        Properties p = base();
        p.setProperty("auth.online-deadline-ms", "5");
        assertThat(ConfigLoader.parse(p, dir).auth().onlineDeadline()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void overlappingMealPeriodsAreRefused() {
        Properties p = base();
        p.setProperty("pricing.periods", "lunch 11:00-13:00 1200 2; late 12:30-14:00 800 1");
        assertThatThrownBy(() -> ConfigLoader.parse(p, dir)).hasMessageContaining("pricing.periods").hasMessageContaining("overlaps");
    }

    @Test
    void describeMasksNothingSecretAndListsKeys() throws Exception {
        String d = ConfigLoader.describe(ConfigLoader.parse(base(), dir));
        assertThat(d).contains("terminal.id=T01").contains("auth.mode=prefer-online");
    }

    @Test
    void theSampleFileIsValid() throws Exception {
        Path sample = Path.of("src/main/dist/pos.properties.sample");
        assertThat(sample).exists();
        Path copy = dir.resolve("pos.properties");
        Files.copy(sample, copy);
        // the sample names a real terminal's key files; here only its keys and values are checked
        TerminalConfig c = ConfigLoader.load(copy, ConfigLoader.Checks.KEYS);
        assertThat(c.terminal().id()).isNotBlank();
    }

    @Test
    void menuItemsParseAndBadOnesAreNamed() throws Exception {
        Properties p = base();
        p.setProperty("pricing.menu", "1 1500 红烧肉; 2 200 rice");
        assertThat(ConfigLoader.parse(p, dir).sale().menu()).extracting(MenuItem::priceFen).containsExactly(1500L, 200L);
        p.setProperty("pricing.menu", "1 1500 a; 1 200 b");
        assertThatThrownBy(() -> ConfigLoader.parse(p, dir)).hasMessageContaining("pricing.menu").hasMessageContaining("twice");
        p.setProperty("pricing.menu", "7 -3 free lunch");
        assertThatThrownBy(() -> ConfigLoader.parse(p, dir)).hasMessageContaining("positive price");
    }
}
