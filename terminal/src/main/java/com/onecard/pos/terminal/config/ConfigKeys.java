package com.onecard.pos.terminal.config;

import com.onecard.pos.reader.model.ReaderModel;
import com.onecard.pos.reader.model.ReaderModels;
import com.onecard.pos.terminal.config.ConfigKey.Charset;
import com.onecard.pos.terminal.config.ConfigKey.FileRule;
import com.onecard.pos.terminal.config.ConfigKey.TextRule;
import com.onecard.pos.terminal.config.ConfigKey.Type;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every configuration key the terminal knows, in the order they are read (a derived default
 * reads only keys above it). This table is the one place that says what a key holds; the
 * documented sample {@code pos.properties.sample} must agree with it (a test holds that).
 */
public final class ConfigKeys {
    /** Longest fen amount a limit may name: 10^12 fen, far above any canteen's takings. */
    static final long MAX_FEN = 1_000_000_000_000L;

    private static final Map<String, ConfigKey> KEYS = new LinkedHashMap<>();
    /** Line speeds a serial reader or scanner may be set to. */
    private static final String[] BAUDS = {"9600", "19200", "38400", "57600", "115200", "230400", "460800", "921600"};

    private static final Predicate<ConfigValues> ALWAYS = v -> true;
    private static final Predicate<ConfigValues> WITH_CENTER = v -> !v.str("center.host").isEmpty();

    static {
        // ---- identity and storage
        add(text("terminal.id", null, 1, 16, Charset.ID,
                "the sale id, id-NUMBER, goes into EMVCo tag 62/01, at most 25 characters"));
        add(remote(derived(text("terminal.label", "the id", 1, 32, Charset.TEXT, ""), v -> v.str("terminal.id"))));
        add(text("terminal.canteen-id", "C01", 1, 25, Charset.EMV_ANS, "EMVCo tag 26/01"));
        add(remote(text("terminal.merchant-name", "CAMPUS CANTEEN", 1, 25, Charset.EMV_ANS, "EMVCo tag 59")));
        add(remote(text("terminal.merchant-name-zh", "", 0, 25, Charset.TEXT, "EMVCo tag 64/01")));
        add(text("terminal.city", "BEIJING", 1, 15, Charset.EMV_ANS, "EMVCo tag 60"));
        add(text("terminal.city-zh", "", 0, 15, Charset.TEXT, "EMVCo tag 64/02"));
        add(path("terminal.data-dir", "/var/lib/onecard-pos", FileRule.FOLDER_CREATABLE, ALWAYS));

        // ---- key token (PKCS#11: SoftHSM2 here, a secure element in the field) and campus cards
        add(path("token.library", "/usr/lib/softhsm/libsofthsm2.so", FileRule.NONE, ALWAYS));
        add(intRange("token.slot", -1, -1, 0xFFFF_FFFFL, "(-1: take token.slot-index)", false));
        add(intRange("token.slot-index", 0, 0, 255, "", false));
        // the daemon checks the PIN file itself (owner-only, named in its exit): no file rule here
        add(secret(derived(path("token.pin-file", "$CREDENTIALS_DIRECTORY/token-pin under systemd, else /etc/onecard-pos/keys/token.pin",
                FileRule.NONE, ALWAYS), v -> defaultPinFile())));
        add(optionalPath("card.issuer-public-keys", FileRule.READABLE));
        add(text("card.v1-accepted-until", "", 0, 10, Charset.ID, "YYYY-MM-DD: the last day layout-1 cards pay; empty: refused"));

        // ---- card reader
        // the models come from the reader registry (posctl reader models): a new model edits nothing here
        add(choice("reader.driver", "pn532", models(ReaderModel.Role.CARD_READER)));
        add(text("reader.port", "/dev/ttyUSB0", 1, 255, Charset.TEXT, ""));
        add(derived(intIn("reader.baud", "the model's " + bauds(ReaderModel.Role.CARD_READER), "baud", BAUDS),
                v -> defaultBaud(v.str("reader.driver"), 115200)));
        add(bool("reader.require-credential", true));

        // ---- QR / barcode scanner and keypad
        add(choice("scanner.driver", ReaderModels.NONE, models(ReaderModel.Role.CODE_SCANNER)));
        add(text("scanner.port", "/dev/ttyACM0", 1, 255, Charset.TEXT, ""));
        add(derived(intIn("scanner.baud", "the model's " + bauds(ReaderModel.Role.CODE_SCANNER), "baud", BAUDS),
                v -> defaultBaud(v.str("scanner.driver"), 9600)));
        // the keypad may be plugged in after the daemon starts (it is reopened by itself): no file check
        add(optionalPath("keypad.device", FileRule.NONE));

        // ---- buzzer and LEDs: BCM GPIO numbers of the 40-pin header are 0-27
        add(choice("gpio.platform", "none", "pi", "mock", "none"));
        add(intRange("gpio.buzzer-pin", 18, 0, 27, "BCM GPIO", false));
        add(intRange("gpio.green-pin", 23, 0, 27, "BCM GPIO", false));
        add(intRange("gpio.red-pin", 24, 0, 27, "BCM GPIO", false));

        // ---- campus card center
        add(text("center.host", "", 0, 253, Charset.TEXT, ""));
        add(intRange("center.port", 7443, 1, 65535, "", false));
        add(path("center.ca-cert", "/etc/onecard-pos/keys/ca.pem", FileRule.PEM_CERTIFICATE, WITH_CENTER));
        add(path("center.cert", "/etc/onecard-pos/keys/terminal.pem", FileRule.PEM_CERTIFICATE, WITH_CENTER));
        // empty: the TLS private key is in the key token (scripts/provision)
        add(secret(optionalPath("center.key", FileRule.PEM_PRIVATE_KEY)));
        add(intRange("center.heartbeat-ms", 5000, 500, 60000, "ms", true));
        add(intRange("center.batch-max-rows", 500, 1, 5000, "rows", true));
        add(intRange("center.batch-linger-ms", 20, 0, 5000, "ms", true));

        // ---- authorization: applies at once
        add(live(choice("auth.mode", "prefer-online", "prefer-online", "online-only", "offline-only")));
        add(remote(live(intRange("auth.online-deadline-ms", 300, 50, 5000, "ms", true))));
        add(remote(live(fen("auth.offline.max-sale-fen", 5000))));
        add(remote(live(fen("auth.offline.daily-per-card-fen", 20000))));
        add(remote(live(intRange("auth.offline.max-unsynced-count", 20000, 1, 1_000_000, "sales", true))));
        add(remote(live(fen("auth.offline.max-unsynced-fen", 2_000_000))));
        add(remote(live(fen("auth.min-retained-balance-fen", 0))));
        add(remote(live(fen("auth.pin.sale-threshold-fen", 5000))));
        add(remote(live(fen("auth.pin.daily-threshold-fen", 10000))));
        add(remote(live(intRange("auth.pin.max-tries", 3, 1, 10, "tries", true))));
        add(remote(live(intRange("auth.pin.lock-minutes", 1440, 1, 10080, "minutes", true))));

        // ---- sales and prices: apply at once
        add(remote(live(intRange("sale.card-timeout-ms", 30000, 1000, 300000, "ms", true))));
        add(remote(live(intRange("sale.reversal-window-ms", 120000, 0, 3600000, "ms", true))));
        add(remote(live(intRange("sale.qr-lifetime-ms", 90000, 10000, 300000, "ms", true))));
        // a card office's keys (remote): prices, meal periods, limits, names shown; every other key is local only
        add(remote(live(new ConfigKey("pricing.periods", Type.PERIODS,
                "breakfast 06:30-09:30 300 1; lunch 10:30-14:00 1200 2; dinner 16:30-19:30 1000 2; night 20:00-23:00 800 1",
                null, "", 0, 0, false, List.of(), null, FileRule.NONE, ALWAYS, false, false, false))));
        add(remote(live(new ConfigKey("pricing.menu", Type.MENU, "", null, "", 0, 0, false, List.of(), null, FileRule.NONE,
                ALWAYS, false, false, false))));

        // ---- service
        add(path("control.socket", "/run/onecard-pos/control.sock", FileRule.FOLDER_CREATABLE, ALWAYS));
        add(text("control.group", "", 0, 32, Charset.TEXT, ""));
        add(bool("keypad.stdin", false));

        // ---- customer display
        add(choice("display.kind", "ansi", "ansi", "png", "fb", "none"));
        add(derived(path("display.path", "<data-dir>/screen.png, or /dev/fb0 for fb", FileRule.FOLDER_CREATABLE,
                        v -> !v.str("display.kind").equals("none") && !v.str("display.kind").equals("ansi")),
                v -> v.str("display.kind").equals("fb") ? "/dev/fb0" : v.path("terminal.data-dir").resolve("screen.png").toString()));
        add(path("display.fb-sysfs", "/sys/class/graphics/fb0", FileRule.READABLE, v -> v.str("display.kind").equals("fb")));

        // ---- journal
        add(intRange("journal.retention-days", 90, 7, 3650, "days", false));
    }

    private ConfigKeys() {
    }

    /** The registry's models with {@code role}, then "none". */
    private static String[] models(ReaderModel.Role role) {
        List<String> names = new java.util.ArrayList<>(ReaderModels.registry().names(role));
        names.add(ReaderModels.NONE);
        return names.toArray(String[]::new);
    }

    /** "(pn532: 115200, rdm6300: 9600)": each model's default line speed, for the documentation. */
    private static String bauds(ReaderModel.Role role) {
        return "(" + String.join(", ", ReaderModels.registry().names(role).stream()
                .map(n -> n + ": " + defaultBaud(n, 0)).toList()) + ")";
    }

    private static String defaultBaud(String model, int fallback) {
        return Integer.toString(ReaderModels.registry().find(model).map(ReaderModel::defaultBaud).orElse(fallback));
    }

    /** Every key, in reading order. */
    public static List<ConfigKey> all() {
        return List.copyOf(KEYS.values());
    }

    public static Optional<ConfigKey> find(String name) {
        return Optional.ofNullable(KEYS.get(name));
    }

    public static boolean known(String name) {
        return KEYS.containsKey(name);
    }

    /** A known key that differs from {@code name} by a typo or two, for "did you mean". */
    public static Optional<String> closest(String name) {
        String best = null;
        int bestDistance = 4;
        for (String k : KEYS.keySet()) {
            int d = distance(name, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static void add(ConfigKey k) {
        if (KEYS.put(k.name(), k) != null) {
            throw new IllegalStateException("configuration key listed twice: " + k.name());
        }
    }

    private static ConfigKey text(String name, String def, int min, int max, Charset cs, String source) {
        return new ConfigKey(name, Type.TEXT, def, null, "", 0, 0, false, List.of(), new TextRule(min, max, cs, source),
                FileRule.NONE, ALWAYS, false, false, false);
    }

    private static ConfigKey choice(String name, String def, String... choices) {
        return new ConfigKey(name, Type.CHOICE, def, null, "", 0, 0, false, List.of(choices), null, FileRule.NONE, ALWAYS,
                false, false, false);
    }

    private static ConfigKey bool(String name, boolean def) {
        return new ConfigKey(name, Type.BOOL, Boolean.toString(def), null, "", 0, 0, false, List.of(), null, FileRule.NONE,
                ALWAYS, false, false, false);
    }

    private static ConfigKey intRange(String name, long def, long min, long max, String unit, boolean clamp) {
        return new ConfigKey(name, Type.INT, Long.toString(def), null, unit, min, max, clamp, List.of(), null,
                FileRule.NONE, ALWAYS, false, false, false);
    }

    private static ConfigKey intIn(String name, String def, String unit, String... allowed) {
        return new ConfigKey(name, Type.INT, def, null, unit, 0, Long.MAX_VALUE, false, List.of(allowed), null,
                FileRule.NONE, ALWAYS, false, false, false);
    }

    private static ConfigKey fen(String name, long def) {
        return intRange(name, def, 0, MAX_FEN, "fen", false);
    }

    private static ConfigKey path(String name, String def, FileRule rule, Predicate<ConfigValues> needed) {
        return new ConfigKey(name, Type.PATH, def, null, "", 0, 0, false, List.of(), null, rule, needed, false, false, false);
    }

    private static ConfigKey optionalPath(String name, FileRule rule) {
        return new ConfigKey(name, Type.OPTIONAL_PATH, "", null, "", 0, 0, false, List.of(), null, rule, ALWAYS, false,
                false, false);
    }

    private static ConfigKey derived(ConfigKey k, Function<ConfigValues, String> def) {
        return new ConfigKey(k.name(), k.type(), k.defaultValue(), def, k.unit(), k.min(), k.max(), k.clamp(), k.choices(),
                k.text(), k.file(), k.fileNeeded(), k.live(), k.secretContents(), k.remote());
    }

    private static ConfigKey live(ConfigKey k) {
        return new ConfigKey(k.name(), k.type(), k.defaultValue(), k.derivedDefault(), k.unit(), k.min(), k.max(), k.clamp(),
                k.choices(), k.text(), k.file(), k.fileNeeded(), true, k.secretContents(), k.remote());
    }

    /** systemd's credentials folder when the unit loads the PIN (LoadCredential=token-pin:...), else the keys folder. */
    static String defaultPinFile() {
        String creds = System.getenv("CREDENTIALS_DIRECTORY");
        return creds != null && !creds.isBlank() ? java.nio.file.Path.of(creds, "token-pin").toString()
                : "/etc/onecard-pos/keys/token.pin";
    }

    /** The card center may set it (a card office's key); every other key is local only. */
    private static ConfigKey remote(ConfigKey k) {
        return new ConfigKey(k.name(), k.type(), k.defaultValue(), k.derivedDefault(), k.unit(), k.min(), k.max(), k.clamp(),
                k.choices(), k.text(), k.file(), k.fileNeeded(), k.live(), k.secretContents(), true);
    }

    private static ConfigKey secret(ConfigKey k) {
        return new ConfigKey(k.name(), k.type(), k.defaultValue(), k.derivedDefault(), k.unit(), k.min(), k.max(), k.clamp(),
                k.choices(), k.text(), k.file(), k.fileNeeded(), k.live(), true, k.remote());
    }
}
