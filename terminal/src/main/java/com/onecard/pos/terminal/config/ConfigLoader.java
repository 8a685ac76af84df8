package com.onecard.pos.terminal.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the properties file into a {@link TerminalConfig} by the rules of {@link ConfigKeys}:
 * fails fast naming the key on a missing or malformed value, clamps and warns where that is
 * safe, refuses unknown keys (a typo must not silently fall back to a default), and checks what
 * the keys need together (distinct GPIO pins, a key file for card verification, ...). Loaded
 * from a file, it also checks the files the keys name ({@link ConfigFiles}).
 */
public final class ConfigLoader {
    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
    private static final java.util.Set<String> SECRET_HINTS = java.util.Set.of("secret", "key", "password", "pin");

    /** How much of the machine a load looks at. */
    public enum Checks {
        /** Keys and values only (inline configurations in tests, posctl finding the socket). */
        KEYS,
        /** Keys, values, and the files they name (config validate, config set, daemon start). */
        FILES
    }

    private final Map<String, String> raw;
    private final Path base;
    private final List<String> warnings = new ArrayList<>();

    private ConfigLoader(Map<String, String> raw, Path base) {
        this.raw = raw;
        this.base = base;
    }

    /**
     * Loads {@code file} with every check, logging clamp warnings once.
     *
     * @throws ConfigException naming the key (and line) at fault, or the file when unreadable
     */
    public static TerminalConfig load(Path file) throws ConfigException {
        TerminalConfig c = load(file, Checks.FILES);
        c.warnings().forEach(w -> log.warn("config {}: {}", file, w));
        return c;
    }

    /** Loads {@code file} with the given checks; warnings are in {@link TerminalConfig#warnings()}, not logged. */
    public static TerminalConfig load(Path file, Checks checks) throws ConfigException {
        return parseText(readText(file), file, checks);
    }

    /** The file's text, as UTF-8. */
    static String readText(Path file) throws ConfigException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file " + file + " does not exist");
        } catch (CharacterCodingException e) {
            throw new ConfigException("configuration file " + file + " is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + ConfigFiles.reason(e), e);
        }
    }

    /** Parses the text of {@code file} (e.g. an edit not yet written). */
    static TerminalConfig parseText(String text, Path file, Checks checks) throws ConfigException {
        Map<String, String> raw = new LinkedHashMap<>();
        for (PropertiesText.Entry e : PropertiesText.parse(text, ConfigKeys::known)) {
            raw.put(e.key(), e.value());
        }
        Path abs = file.toAbsolutePath();
        return new ConfigLoader(raw, abs.getParent()).parse(abs, checks);
    }

    /** Parses already-loaded properties without looking at files; relative paths resolve against {@code base}. */
    public static TerminalConfig parse(Properties p, Path base) throws ConfigException {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            raw.put(k, p.getProperty(k));
        }
        return new ConfigLoader(raw, base).parse(base.resolve("inline.properties"), Checks.KEYS);
    }

    private TerminalConfig parse(Path source, Checks checks) throws ConfigException {
        for (String gone : new String[]{"terminal.secret-file", "terminal.issuer-key-file"}) {
            if (raw.containsKey(gone)) {
                throw new ConfigException(gone + ": no longer used: the terminal's keys live in its key token (token.*) and"
                        + " cards are checked with card.issuer-public-keys; provision the token with scripts/provision,"
                        + " remove this key and delete the key file from the terminal (docs/operations.md)");
            }
        }
        for (String k : raw.keySet()) {
            if (!ConfigKeys.known(k)) {
                String hint = ConfigKeys.closest(k).map(c -> "; did you mean " + c + "?").orElse("");
                throw new ConfigException(k + ": unknown key" + hint + " (pos.properties.sample lists every key)");
            }
        }
        ConfigValues v = new ConfigValues();
        Map<String, String> effective = new LinkedHashMap<>();
        for (ConfigKey k : ConfigKeys.all()) {
            String given = raw.get(k.name());
            // blank means "use the default", except for meal periods, where it means "none"
            boolean absent = given == null || (given.isBlank() && k.type() != ConfigKey.Type.PERIODS);
            if (absent && k.required()) {
                throw new ConfigException(k.name() + ": missing (required: " + k.rule() + ")");
            }
            String text = absent ? k.defaultFor(v) : given.strip();
            ConfigValueReader.read(k, text, base, v, warnings);
            effective.put(k.name(), v.text(k.name()));
        }
        ConfigRules.check(v);
        if (checks == Checks.FILES) {
            ConfigFiles.check(v);
        }
        return ConfigBuilder.build(v, source, effective, warnings);
    }

    /** Keys whose values are secrets: masked in logs, answers and the audit trail. */
    public static boolean isSecretKey(String key) {
        return SECRET_HINTS.stream().anyMatch(key::endsWith);
    }

    /**
     * The effective value of every key as {@code key=value} lines, for the start-up log,
     * {@code posctl config show} and support bundles. Keys that name a secret file show the
     * path only.
     */
    public static String describe(TerminalConfig c) {
        StringBuilder sb = new StringBuilder();
        for (ConfigKey k : ConfigKeys.all()) {
            String v = c.effective().getOrDefault(k.name(), "");
            sb.append(k.name()).append('=').append(v);
            if (k.secretContents() && !v.isEmpty()) {
                sb.append("   # contents secret, not shown");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
