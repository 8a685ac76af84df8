package com.onecard.pos.terminal.testutil;

import com.onecard.pos.terminal.config.ConfigException;
import com.onecard.pos.terminal.config.ConfigLoader;
import com.onecard.pos.terminal.config.TerminalConfig;

import java.nio.file.Path;
import java.util.Properties;

/** Configurations for tests: offline-only, no reader, no center, unless overridden. */
public final class TestConfigs {
    private TestConfigs() {
    }

    /**
     * The same configuration written to {@code dir/pos.properties} and loaded from it with every
     * check (as the daemon, config set and config validate load it). The keys are not in it: the
     * daemon's parts take {@link TestKeys#inMemory}.
     */
    public static TerminalConfig file(Path dir, String... overrides) throws java.io.IOException, ConfigException {
        java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("terminal.id", "T01");
        p.put("terminal.data-dir", dir.toString());
        p.put("reader.driver", "none");
        p.put("reader.require-credential", "false");
        p.put("auth.mode", "offline-only");
        p.put("control.socket", dir.resolve("control.sock").toString());
        p.put("display.kind", "none");
        p.put("auth.pin.sale-threshold-fen", "0");
        p.put("auth.pin.daily-threshold-fen", "0");
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            p.put(overrides[i], overrides[i + 1]);
        }
        StringBuilder text = new StringBuilder();
        for (var e : p.entrySet()) {
            text.append(com.onecard.pos.terminal.config.PropertiesText.line(e.getKey(), e.getValue())).append('\n');
        }
        Path f = dir.resolve("pos.properties");
        java.nio.file.Files.writeString(f, text, java.nio.charset.StandardCharsets.UTF_8);
        return ConfigLoader.load(f, ConfigLoader.Checks.FILES);
    }

    public static TerminalConfig config(Path dir, String... overrides) {
        Properties p = new Properties();
        p.setProperty("terminal.id", "T01");
        p.setProperty("terminal.data-dir", dir.toString());
        p.setProperty("reader.driver", "none");
        p.setProperty("reader.require-credential", "false");
        p.setProperty("auth.mode", "offline-only");
        p.setProperty("control.socket", dir.resolve("control.sock").toString());
        p.setProperty("display.kind", "none");
        p.setProperty("auth.pin.sale-threshold-fen", "0");
        p.setProperty("auth.pin.daily-threshold-fen", "0");
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            p.setProperty(overrides[i], overrides[i + 1]);
        }
        try {
            return ConfigLoader.parse(p, dir);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
