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
