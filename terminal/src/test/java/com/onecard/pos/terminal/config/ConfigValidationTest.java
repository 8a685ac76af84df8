package com.onecard.pos.terminal.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Configurations the daemon cannot run are refused when the file is read (config validate,
 * daemon start, config set all read it this way), naming the key.
 */
class ConfigValidationTest {
    static final String SECRET = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;

    /**
     * A valid configuration file with real key files: {@code extra} lines replace the base line
     * of the same key, or are appended (from line 8 on).
     */
    Path file(String... extra) throws Exception {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "terminal.id=T01",
                "terminal.data-dir=data",
                "token.pin-file=token.pin",
                "reader.driver=none",
                "reader.require-credential=false",
                "control.socket=run/control.sock",
                "display.kind=none"));
        for (String e : extra) {
            String key = e.contains("=") ? e.substring(0, e.indexOf('=')) : e;
            int at = -1;
            for (int i = 0; i < 7; i++) {
                if (lines.get(i).startsWith(key + "=")) {
                    at = i;
                }
            }
            if (at >= 0) {
                lines.set(at, e);
            } else {
                lines.add(e);
            }
        }
        Path f = dir.resolve("pos.properties");
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void theBaseFileIsValid() throws Exception {
        assertThat(ConfigLoader.load(file()).terminal().id()).isEqualTo("T01");
    }

    // ---- QR fields: EMVCo tags 59 and 60

    @Test
    void merchantNameAndCityLongerThanTheirEmvTagsAreRefusedNamingTheKey() throws Exception {
        Path f = file("terminal.merchant-name=NORTH CAMPUS STUDENT CANTEEN NO 1");
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("terminal.merchant-name:").hasMessageContaining("33 characters")
                .hasMessageContaining("at most 25").hasMessageContaining("EMVCo tag 59");
        Path g = file("terminal.city=HOHHOT INNER MONGOLIA");
        assertThatThrownBy(() -> ConfigLoader.load(g)).hasMessageStartingWith("terminal.city:")
                .hasMessageContaining("at most 15").hasMessageContaining("EMVCo tag 60");
    }

    @Test
    void nonAsciiMerchantNameOrCityIsRefusedAndPointedToTag64() throws Exception {
        Path f = file("terminal.merchant-name=北区第一学生食堂");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageStartingWith("terminal.merchant-name:")
                .hasMessageContaining("'北'").hasMessageContaining("terminal.merchant-name-zh");
        Path g = file("terminal.city=São Paulo");
        assertThatThrownBy(() -> ConfigLoader.load(g)).hasMessageStartingWith("terminal.city:")
                .hasMessageContaining("'ã'").hasMessageContaining("terminal.city-zh");
        // the Chinese names go into the language template, which takes them
        assertThat(ConfigLoader.load(file("terminal.merchant-name-zh=北区第一学生食堂", "terminal.city-zh=呼和浩特"))
                .terminal().merchantNameZh()).isEqualTo("北区第一学生食堂");
    }

    @Test
    void everyFieldThatGoesIntoAQrCodeFitsItsTag() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(file("terminal.canteen-id=食堂")))
                .hasMessageStartingWith("terminal.canteen-id:").hasMessageContaining("26/01");
        assertThatThrownBy(() -> ConfigLoader.load(file("terminal.merchant-name-zh=" + "食".repeat(26))))
                .hasMessageStartingWith("terminal.merchant-name-zh:").hasMessageContaining("64/01");
        assertThatThrownBy(() -> ConfigLoader.load(file("terminal.city-zh=北京")))
                .hasMessageStartingWith("terminal.city-zh").hasMessageContaining("terminal.merchant-name-zh");
        // the sale id (id-number) is the bill number in tag 62/01, at most 25 characters
        assertThatThrownBy(() -> ConfigLoader.load(file("terminal.id=T" + "0".repeat(17))))
                .hasMessageStartingWith("terminal.id:").hasMessageContaining("62/01");
    }

    // ---- GPIO

    @Test
    void twoOutputsOnOnePinAreRefused() throws Exception {
        Path f = file("gpio.platform=mock", "gpio.buzzer-pin=23");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageStartingWith("gpio.green-pin:")
                .hasMessageContaining("BCM GPIO 23 is already gpio.buzzer-pin");
        assertThatThrownBy(() -> ConfigLoader.load(file("gpio.red-pin=35"))).hasMessageStartingWith("gpio.red-pin:")
                .hasMessageContaining("0 and 27");
    }

    // ---- numbers

    @Test
    void numbersOutsideTheirTypeOrRangeAreRefusedNotWrapped() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(file("reader.baud=4295082496"))).hasMessageStartingWith("reader.baud:")
                .hasMessageContaining("4295082496");
        assertThatThrownBy(() -> ConfigLoader.load(file("center.port=0"))).hasMessageStartingWith("center.port:")
                .hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> ConfigLoader.load(file("center.port=70000"))).hasMessageStartingWith("center.port:");
        assertThatThrownBy(() -> ConfigLoader.load(file("auth.offline.max-sale-fen=99999999999999999999")))
                .hasMessageStartingWith("auth.offline.max-sale-fen:").hasMessageContaining("whole number");
        assertThatThrownBy(() -> ConfigLoader.load(file("auth.offline.max-sale-fen=١٢")))
                .hasMessageStartingWith("auth.offline.max-sale-fen:");
    }

    // ---- the file itself

    @Test
    void aMalformedUnicodeEscapeNamesTheLineAndKey() throws Exception {
        Path f = file("terminal.label=a\\uZZZZ");
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 8").hasMessageContaining("terminal.label").hasMessageContaining("\\uXXXX");
    }

    @Test
    void aByteOrderMarkAtTheStartIsSkipped() throws Exception {
        Path f = file();
        Files.writeString(f, "\uFEFF" + Files.readString(f), StandardCharsets.UTF_8);
        assertThat(ConfigLoader.load(f).terminal().id()).isEqualTo("T01");
    }

    @Test
    void aKeyGivenTwiceIsRefusedWithBothLines() throws Exception {
        Path f = file("auth.offline.max-sale-fen=3000", "auth.offline.max-sale-fen=999999");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageStartingWith("auth.offline.max-sale-fen: set twice")
                .hasMessageContaining("line 8").hasMessageContaining("line 9");
    }

    @Test
    void aTrailingBackslashThatSwallowsTheNextKeyIsRefused() throws Exception {
        Path f = file("terminal.label=North\\", "terminal.canteen-id=N01");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("line 8").hasMessageContaining("terminal.label")
                .hasMessageContaining("terminal.canteen-id").hasMessageContaining("backslash");
        // a continuation into a value's own next part is still allowed
        Path g = file("pricing.menu=1 1500 rice; \\", "  2 200 soup");
        assertThat(ConfigLoader.load(g).sale().menu()).hasSize(2);
    }

    @Test
    void aCarriageReturnInsideALineIsRefused() throws Exception {
        Path f = file("terminal.label=x\rauth.offline.max-sale-fen=999999");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("line 8").hasMessageContaining("terminal.label")
                .hasMessageContaining("carriage return");
    }

    @Test
    void fileThatIsNotUtf8IsNamed() throws Exception {
        Path f = file();
        Files.write(f, "terminal.id=T\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("not UTF-8");
    }

    // ---- files the keys name

    @Test
    void keyAndCertificateFilesMustExistAndHaveTheirForm() throws Exception {
        Path f = file("card.issuer-public-keys=missing.pem");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageStartingWith("card.issuer-public-keys:")
                .hasMessageContaining("missing.pem").hasMessageContaining("does not exist")
                .hasMessageNotContaining("Exception");
        // the key files of before the key token are named as retired, never read
        assertThatThrownBy(() -> ConfigLoader.load(file("terminal.secret-file=terminal.secret")))
                .hasMessageStartingWith("terminal.secret-file: no longer used").hasMessageContaining("token");
        assertThatThrownBy(() -> ConfigLoader.load(file("center.host=127.0.0.1", "center.ca-cert=ca.pem")))
                .hasMessageStartingWith("center.ca-cert:").hasMessageContaining("does not exist");
        Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        assertThatThrownBy(() -> ConfigLoader.load(file("center.host=127.0.0.1", "center.ca-cert=ca.pem")))
                .hasMessageStartingWith("center.ca-cert:").hasMessageContaining("not a PEM certificate");
        // without a center the certificates are not needed
        assertThat(ConfigLoader.load(file("center.ca-cert=ca.pem")).center().host()).isEmpty();
    }

    @Test
    void aCardKeyIsNeededWhenCardsMustBeVerified() throws Exception {
        Path f = file("reader.require-credential=true");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("reader.require-credential=true")
                .hasMessageContaining("card.issuer-public-keys");
    }

    @Test
    void foldersThatCannotBeCreatedAreNamed() throws Exception {
        Files.writeString(dir.resolve("plainfile"), "x");
        assertThatThrownBy(() -> ConfigLoader.load(file("terminal.data-dir=plainfile/data")))
                .hasMessageStartingWith("terminal.data-dir:").hasMessageContaining("is a file");
        assertThatThrownBy(() -> ConfigLoader.load(file("control.group=no-such-group-onecard")))
                .hasMessageStartingWith("control.group:");
    }

    // ---- config show

    @Test
    void describeShowsTheEffectiveValueOfEveryKey() throws Exception {
        String shown = ConfigLoader.describe(ConfigLoader.load(file()));
        Set<String> keys = new HashSet<>();
        for (String line : shown.split("\n")) {
            keys.add(line.substring(0, line.indexOf('=')));
        }
        assertThat(keys).containsExactlyInAnyOrderElementsOf(ConfigKeys.all().stream().map(ConfigKey::name).toList());
        assertThat(shown).contains("auth.pin.sale-threshold-fen=5000").contains("sale.card-timeout-ms=30000")
                .contains("center.heartbeat-ms=5000").contains("terminal.merchant-name=CAMPUS CANTEEN")
                .contains("gpio.buzzer-pin=18").contains("display.kind=none").contains("terminal.label=T01")
                .doesNotContain(SECRET);
    }

    @Test
    void theSampleDocumentsEveryKeyAndNoOther() throws Exception {
        List<String> sample = Files.readAllLines(Path.of("src/main/dist/pos.properties.sample"));
        Set<String> documented = new HashSet<>();
        for (String line : sample) {
            if (!line.startsWith("#") && line.contains("=")) {
                documented.add(line.substring(0, line.indexOf('=')).trim());
            }
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(ConfigKeys.all().stream().map(ConfigKey::name).toList());
    }

    @Test
    void theDocumentedKeyTableIsTheOneTheTerminalReads() throws Exception {
        String doc = Files.readString(Path.of("../docs/configuration.md"));
        String start = "<!-- key table: posctl config keys --markdown -->\n";
        String end = "<!-- end of key table -->";
        assertThat(doc).contains(start).contains(end);
        String table = doc.substring(doc.indexOf(start) + start.length(), doc.indexOf(end));
        String now = ConfigKeyTable.markdown();
        if (!table.equals(now)) {
            Files.writeString(Files.createDirectories(Path.of("target")).resolve("configuration-key-table.md"), now);
        }
        assertThat(table).as("docs/configuration.md's key table; the current one is in target/configuration-key-table.md")
                .isEqualTo(now);
        for (ConfigKey k : ConfigKeys.all()) {
            assertThat(now).contains("| `" + k.name() + "` |");
        }
        assertThat(now).contains("| `terminal.merchant-name` | 1-25 characters").contains("EMVCo tag 59")
                .contains("| `auth.offline.max-sale-fen` |").contains("at once").contains("at restart");
    }

    @Test
    void outOfRangeValuesThatAreSafeToClampSayWhatIsUsed() throws Exception {
        TerminalConfig c = ConfigLoader.load(file("sale.card-timeout-ms=5"));
        assertThat(c.sale().cardTimeout().toMillis()).isEqualTo(1000);
        assertThat(c.warnings()).containsExactly("sale.card-timeout-ms=5 is outside 1000..300000 ms, using 1000");
    }
}
