package com.onecard.pos.terminal.config;

import com.onecard.pos.reader.model.ReaderModel;
import com.onecard.pos.reader.model.ReaderModels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the properties file into a {@link TerminalConfig}: fails fast naming the key on a
 * missing or malformed value, clamps and warns where that is safe, and refuses unknown keys
 * (a typo must not silently fall back to a default).
 */
public final class ConfigLoader {
    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
    private static final Set<String> SECRET_HINTS = Set.of("secret", "key", "password", "pin");

    private final Properties props;
    private final Path base;
    private final List<String> warnings = new ArrayList<>();
    private final Set<String> known = new java.util.HashSet<>();

    private ConfigLoader(Properties props, Path base) {
        this.props = props;
        this.base = base;
    }

    public static TerminalConfig load(Path file) throws ConfigException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        ConfigLoader l = new ConfigLoader(p, file.toAbsolutePath().getParent());
        TerminalConfig c = l.parse(file.toAbsolutePath());
        l.warnings.forEach(w -> log.warn("config {}: {}", file, w));
        return c;
    }

    /** Parses already-loaded properties; relative paths resolve against {@code base}. */
    public static TerminalConfig parse(Properties p, Path base) throws ConfigException {
        return new ConfigLoader(p, base).parse(base.resolve("inline.properties"));
    }

    /** Parses properties that come from {@code file} (already read, e.g. edited in memory). */
    static TerminalConfig parseFile(Properties p, Path file) throws ConfigException {
        Path abs = file.toAbsolutePath();
        return new ConfigLoader(p, abs.getParent()).parse(abs);
    }

    public List<String> warnings() {
        return warnings;
    }

    private TerminalConfig parse(Path source) throws ConfigException {
        String id = str("terminal.id", null);
        if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new ConfigException("terminal.id: must be 1-32 letters, digits, '-' or '_', got '" + id + "'");
        }
        Path dataDir = path("terminal.data-dir", "/var/lib/onecard-pos");
        var terminal = new TerminalConfig.Terminal(id,
                str("terminal.label", id),
                str("terminal.canteen-id", "C01"),
                str("terminal.merchant-name", "CAMPUS CANTEEN"),
                str("terminal.merchant-name-zh", ""),
                str("terminal.city", "BEIJING"),
                str("terminal.city-zh", ""),
                dataDir);
        for (String gone : new String[]{"terminal.secret-file", "terminal.issuer-key-file"}) {
            if (props.containsKey(gone)) {
                throw new ConfigException(gone + ": no longer used: the terminal's keys live in its key token (token.*) and"
                        + " cards are checked with card.issuer-public-keys; provision the token with scripts/provision,"
                        + " remove this key and delete the key file from the terminal (docs/operations.md)");
            }
        }

        String driver = model("reader.driver", "pn532", ReaderModel.Role.CARD_READER);
        var reader = new TerminalConfig.Reader(driver,
                str("reader.port", "/dev/ttyUSB0"),
                intIn("reader.baud", defaultBaud(driver, 115200), BAUDS),
                bool("reader.require-credential", true));

        String scannerDriver = model("scanner.driver", ReaderModels.NONE, ReaderModel.Role.CODE_SCANNER);
        var scanner = new TerminalConfig.Scanner(scannerDriver,
                str("scanner.port", "/dev/ttyACM0"),
                intIn("scanner.baud", defaultBaud(scannerDriver, 9600), BAUDS));
        var keypad = new TerminalConfig.Keypad(optionalPath("keypad.device"));

        String platform = str("gpio.platform", "none");
        if (!Set.of("pi", "mock", "none").contains(platform)) {
            throw new ConfigException("gpio.platform: expected pi, mock or none, got '" + platform + "'");
        }
        var gpio = new TerminalConfig.Gpio(platform,
                intRange("gpio.buzzer-pin", 18, 0, 40), intRange("gpio.green-pin", 23, 0, 40), intRange("gpio.red-pin", 24, 0, 40));

        var center = new TerminalConfig.Center(str("center.host", ""),
                intRange("center.port", 7443, 0, 65535),
                path("center.ca-cert", "/etc/onecard-pos/keys/ca.pem"),
                path("center.cert", "/etc/onecard-pos/keys/terminal.pem"),
                optionalPath("center.key"),
                clampMillis("center.heartbeat-ms", 5000, 500, 60000),
                (int) clamp("center.batch-max-rows", 500, 1, 5000),
                clampMillis("center.batch-linger-ms", 20, 0, 5000));

        var auth = new TerminalConfig.Auth(authMode(),
                clampMillis("auth.online-deadline-ms", 300, 50, 5000),
                fen("auth.offline.max-sale-fen", 5000),
                fen("auth.offline.daily-per-card-fen", 20000),
                clamp("auth.offline.max-unsynced-count", 20000, 1, 1_000_000),
                fen("auth.offline.max-unsynced-fen", 2_000_000),
                fen("auth.min-retained-balance-fen", 0),
                fen("auth.pin.sale-threshold-fen", 5000),
                fen("auth.pin.daily-threshold-fen", 10000),
                (int) clamp("auth.pin.max-tries", 3, 1, 10));

        List<MealPeriod> periods = periods();
        var sale = new TerminalConfig.Sale(
                clampMillis("sale.card-timeout-ms", 30000, 1000, 300000),
                clampMillis("sale.reversal-window-ms", 120000, 0, 3600000),
                clampMillis("sale.qr-lifetime-ms", 90000, 10000, 300000),
                periods, menu());

        var control = new TerminalConfig.Control(path("control.socket", "/run/onecard-pos/control.sock"),
                str("control.group", ""), bool("keypad.stdin", false));

        String kind = str("display.kind", "ansi");
        if (!Set.of("ansi", "png", "fb", "none").contains(kind)) {
            throw new ConfigException("display.kind: expected ansi, png, fb or none, got '" + kind + "'");
        }
        var display = new TerminalConfig.Display(kind,
                path("display.path", kind.equals("fb") ? "/dev/fb0" : dataDir.resolve("screen.png").toString()),
                path("display.fb-sysfs", "/sys/class/graphics/fb0"));

        var journal = new TerminalConfig.Journal(intRange("journal.retention-days", 90, 7, 3650));
        var token = new TerminalConfig.Token(path("token.library", "/usr/lib/softhsm/libsofthsm2.so"),
                num("token.slot", -1), intRange("token.slot-index", 0, 0, 255), path("token.pin-file", defaultPinFile()));
        String until = str("card.v1-accepted-until", "");
        java.time.LocalDate v1Until;
        try {
            v1Until = until.isEmpty() ? null : java.time.LocalDate.parse(until);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigException("card.v1-accepted-until: expected a date YYYY-MM-DD or nothing, got '" + until + "'");
        }
        var cards = new TerminalConfig.Cards(optionalPath("card.issuer-public-keys"), v1Until);

        for (String k : props.stringPropertyNames()) {
            if (!known.contains(k)) {
                throw new ConfigException(k + ": unknown key (see pos.properties.sample for the keys)");
            }
        }
        return new TerminalConfig(terminal, reader, gpio, scanner, keypad, center, auth, sale, control, display, journal, token, cards, source);
    }

    private static final Set<Integer> BAUDS = Set.of(9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600);

    /** A model of the reader registry with {@code role}, or none; the allowed values come from the registry. */
    private String model(String key, String def, ReaderModel.Role role) throws ConfigException {
        String v = str(key, def).toLowerCase(java.util.Locale.ROOT);
        List<String> names = ReaderModels.registry().names(role);
        if (!v.equals(ReaderModels.NONE) && !names.contains(v)) {
            throw new ConfigException(key + ": expected " + String.join(", ", names) + " or none, got '" + v + "'");
        }
        return v;
    }

    private static int defaultBaud(String model, int fallback) {
        return ReaderModels.registry().find(model).map(ReaderModel::defaultBaud).orElse(fallback);
    }

    /** systemd's credentials folder when the unit loads the PIN (LoadCredential=token-pin:...), else the keys folder. */
    private static String defaultPinFile() {
        String creds = System.getenv("CREDENTIALS_DIRECTORY");
        return creds != null && !creds.isBlank() ? Path.of(creds, "token-pin").toString() : "/etc/onecard-pos/keys/token.pin";
    }

    private AuthMode authMode() throws ConfigException {
        String v = str("auth.mode", "prefer-online");
        try {
            return AuthMode.parse(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("auth.mode: " + e.getMessage());
        }
    }

    private List<MealPeriod> periods() throws ConfigException {
        if (props.containsKey("pricing.periods") && props.getProperty("pricing.periods").isBlank()) {
            known.add("pricing.periods");
            return List.of(); // explicitly empty: no fixed prices, the cashier keys every amount
        }
        String v = str("pricing.periods", "breakfast 06:30-09:30 300 1; lunch 10:30-14:00 1200 2; dinner 16:30-19:30 1000 2; night 20:00-23:00 800 1");
        List<MealPeriod> out = new ArrayList<>();
        if (v.isBlank()) {
            return out;
        }
        for (String spec : v.split(";")) {
            if (spec.isBlank()) {
                continue;
            }
            try {
                out.add(MealPeriod.parse(spec));
            } catch (RuntimeException e) {
                throw new ConfigException("pricing.periods: " + e.getMessage());
            }
        }
        if (out.size() > 6) {
            throw new ConfigException("pricing.periods: at most 6 meal periods, got " + out.size());
        }
        for (int i = 0; i < out.size(); i++) {
            for (int j = i + 1; j < out.size(); j++) {
                MealPeriod a = out.get(i), b = out.get(j);
                if (a.start().isBefore(b.end()) && b.start().isBefore(a.end())) {
                    throw new ConfigException("pricing.periods: '" + a.name() + "' overlaps '" + b.name() + "'");
                }
            }
        }
        return List.copyOf(out);
    }

    private List<MenuItem> menu() throws ConfigException {
        String v = str("pricing.menu", "");
        List<MenuItem> out = new ArrayList<>();
        java.util.Set<Integer> numbers = new java.util.HashSet<>();
        for (String spec : v.split(";")) {
            if (spec.isBlank()) {
                continue;
            }
            MenuItem m;
            try {
                m = MenuItem.parse(spec);
            } catch (RuntimeException e) {
                throw new ConfigException("pricing.menu: " + e.getMessage());
            }
            if (!numbers.add(m.number())) {
                throw new ConfigException("pricing.menu: number " + m.number() + " is used twice");
            }
            out.add(m);
        }
        return List.copyOf(out);
    }

    private String str(String key, String def) throws ConfigException {
        known.add(key);
        String v = props.getProperty(key);
        if (v == null || v.isBlank()) {
            if (def == null) {
                throw new ConfigException(key + ": missing (required)");
            }
            return def;
        }
        return v.trim();
    }

    private boolean bool(String key, boolean def) throws ConfigException {
        String v = str(key, Boolean.toString(def));
        if (!v.equals("true") && !v.equals("false")) {
            throw new ConfigException(key + ": expected true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    private long num(String key, long def) throws ConfigException {
        String v = str(key, Long.toString(def));
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": expected a whole number, got '" + v + "'");
        }
    }

    private long fen(String key, long def) throws ConfigException {
        long v = num(key, def);
        if (v < 0) {
            throw new ConfigException(key + ": amounts are fen and cannot be negative, got " + v);
        }
        return v;
    }

    private int intRange(String key, int def, int min, int max) throws ConfigException {
        long v = num(key, def);
        if (v < min || v > max) {
            throw new ConfigException(key + ": must be between " + min + " and " + max + ", got " + v);
        }
        return (int) v;
    }

    private int intIn(String key, int def, Set<Integer> allowed) throws ConfigException {
        long v = num(key, def);
        if (!allowed.contains((int) v)) {
            throw new ConfigException(key + ": must be one of " + new java.util.TreeSet<>(allowed) + ", got " + v);
        }
        return (int) v;
    }

    /** Out-of-range values that are safe to correct are clamped with a warning. */
    private long clamp(String key, long def, long min, long max) throws ConfigException {
        long v = num(key, def);
        if (v < min || v > max) {
            long c = Math.max(min, Math.min(max, v));
            warnings.add(key + "=" + v + " is outside " + min + ".." + max + ", using " + c);
            return c;
        }
        return v;
    }

    private Duration clampMillis(String key, long def, long min, long max) throws ConfigException {
        return Duration.ofMillis(clamp(key, def, min, max));
    }

    private Path path(String key, String def) throws ConfigException {
        Path p = Path.of(str(key, def));
        return p.isAbsolute() ? p : base.resolve(p).normalize();
    }

    private Path optionalPath(String key) throws ConfigException {
        String v = str(key, "");
        if (v.isEmpty()) {
            return null;
        }
        Path p = Path.of(v);
        return p.isAbsolute() ? p : base.resolve(p).normalize();
    }

    /** Keys whose values are secrets: masked in logs, answers and the audit trail. */
    public static boolean isSecretKey(String key) {
        return SECRET_HINTS.stream().anyMatch(key::endsWith);
    }

    /** The configuration as key=value lines with secrets masked, for the start-up log and posctl. */
    public static String describe(TerminalConfig c) {
        var m = new TreeMap<String, String>();
        m.put("terminal.id", c.terminal().id());
        m.put("terminal.label", c.terminal().label());
        m.put("terminal.data-dir", c.terminal().dataDir().toString());
        m.put("token.library", c.token().library().toString());
        m.put("token.slot", c.token().slot() < 0 ? "(slot-index " + c.token().slotIndex() + ")" : Long.toString(c.token().slot()));
        m.put("token.pin-file", c.token().pinFile() + " (contents masked)");
        m.put("card.issuer-public-keys", c.cards().issuerPublicKeys() == null ? "" : c.cards().issuerPublicKeys().toString());
        m.put("card.v1-accepted-until", c.cards().v1AcceptedUntil() == null ? "" : c.cards().v1AcceptedUntil().toString());
        m.put("reader.driver", c.reader().driver());
        m.put("reader.port", c.reader().port());
        m.put("reader.baud", Integer.toString(c.reader().baud()));
        m.put("reader.require-credential", Boolean.toString(c.reader().requireCredential()));
        m.put("gpio.platform", c.gpio().platform());
        m.put("scanner.driver", c.scanner().driver());
        m.put("scanner.port", c.scanner().port());
        m.put("scanner.baud", Integer.toString(c.scanner().baud()));
        m.put("keypad.device", c.keypad().device() == null ? "" : c.keypad().device().toString());
        m.put("center.host", c.center().host());
        m.put("center.port", Integer.toString(c.center().port()));
        m.put("auth.mode", c.auth().mode().key());
        m.put("auth.online-deadline-ms", Long.toString(c.auth().onlineDeadline().toMillis()));
        m.put("auth.offline.max-sale-fen", Long.toString(c.auth().maxOfflineSaleFen()));
        m.put("auth.offline.daily-per-card-fen", Long.toString(c.auth().dailyOfflinePerCardFen()));
        m.put("auth.offline.max-unsynced-count", Long.toString(c.auth().maxUnsyncedCount()));
        m.put("auth.offline.max-unsynced-fen", Long.toString(c.auth().maxUnsyncedFen()));
        m.put("pricing.periods", String.join("; ", c.sale().periods().stream().map(MealPeriod::toString).toList()));
        m.put("pricing.menu", String.join("; ", c.sale().menu().stream().map(MenuItem::toString).toList()));
        m.put("control.socket", c.control().socket().toString());
        m.put("display.kind", c.display().kind());
        m.put("journal.retention-days", Integer.toString(c.journal().retentionDays()));
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> {
            boolean secret = SECRET_HINTS.stream().anyMatch(h -> k.endsWith(h));
            sb.append(k).append('=').append(secret ? "****" : v).append('\n');
        });
        return sb.toString();
    }
}
