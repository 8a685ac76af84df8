package com.onecard.pos.terminal.config;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** posctl config set and the center's config stream: written values read back as given, or are refused. */
class ConfigEditorTest {
    static final String SECRET = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;

    Path file() throws Exception {
        Path f = dir.resolve("pos.properties");
        Files.writeString(f, """
                # the terminal
                terminal.id=T01
                terminal.label=Window 1
                terminal.canteen-id=N01
                terminal.data-dir=data
                reader.driver=none
                reader.require-credential=false
                display.kind=none
                """, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void aTrailingBackslashIsWrittenSoThatItReadsBackAndSwallowsNothing() throws Exception {
        Path f = file();
        TerminalConfig c = ConfigEditor.set(f, "terminal.label", "North\\");
        assertThat(c.terminal().label()).isEqualTo("North\\");
        TerminalConfig again = ConfigLoader.load(f);
        assertThat(again.terminal().label()).isEqualTo("North\\");
        assertThat(again.terminal().canteenId()).isEqualTo("N01");
        assertThat(Files.readString(f)).contains("# the terminal").contains("terminal.label=North\\\\\n");
    }

    @Test
    void aValueWithACarriageReturnOrLineBreakIsRefusedAndTheFileUnchanged() throws Exception {
        Path f = file();
        String before = Files.readString(f);
        assertThatThrownBy(() -> ConfigEditor.set(f, "terminal.label", "x\rauth.offline.max-sale-fen=999999"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("terminal.label:").hasMessageContaining("U+000D");
        assertThatThrownBy(() -> ConfigEditor.set(f, "terminal.label", "x\nauth.offline.max-sale-fen=999999"))
                .hasMessageContaining("U+000A");
        assertThat(Files.readString(f)).isEqualTo(before);
        assertThat(ConfigLoader.load(f).auth().maxOfflineSaleFen()).isEqualTo(5000);
    }

    @Test
    void aPinAlreadyUsedIsRefusedAndTheFileUnchanged() throws Exception {
        Path f = file();
        String before = Files.readString(f);
        assertThatThrownBy(() -> ConfigEditor.set(f, "gpio.buzzer-pin", "23")).hasMessageContaining("gpio.green-pin")
                .hasMessageContaining("BCM GPIO 23");
        assertThat(Files.readString(f)).isEqualTo(before);
    }

    @Test
    void aClampedValueIsReportedWithTheValueUsed() throws Exception {
        TerminalConfig c = ConfigEditor.set(file(), "sale.card-timeout-ms", "5");
        assertThat(c.effective()).containsEntry("sale.card-timeout-ms", "1000");
        assertThat(c.warnings()).containsExactly("sale.card-timeout-ms=5 is outside 1000..300000 ms, using 1000");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheNearestKnownOne() throws Exception {
        assertThatThrownBy(() -> ConfigEditor.set(file(), "auth.ofline.max-sale-fen", "1"))
                .hasMessageContaining("not a configuration key").hasMessageContaining("auth.offline.max-sale-fen");
    }

    @Test
    void aValueSpreadOverContinuationLinesIsReplacedWhole() throws Exception {
        Path f = file();
        Files.writeString(f, Files.readString(f) + "pricing.menu=1 1500 rice; \\\n  2 200 soup\nauth.mode=offline-only\n");
        ConfigEditor.set(f, "pricing.menu", "3 800 noodles");
        TerminalConfig c = ConfigLoader.load(f);
        assertThat(c.sale().menu()).extracting(MenuItem::name).containsExactly("noodles");
        assertThat(c.auth().mode()).isEqualTo(AuthMode.OFFLINE_ONLY);
    }

    @Property(tries = 300)
    void anyOneLineValueReadsBackExactly(@ForAll @StringLength(max = 40) String raw) throws Exception {
        String value = raw.codePoints().filter(c -> !Character.isISOControl(c) && c != 0x2028 && c != 0x2029)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        String line = PropertiesText.line("terminal.label", value);
        List<PropertiesText.Entry> back = PropertiesText.parse(line + "\nterminal.canteen-id=N01\n", ConfigKeys::known);
        assertThat(back).hasSize(2);
        assertThat(back.get(0).value()).isEqualTo(value);
        assertThat(back.get(1).value()).isEqualTo("N01");
    }
}
