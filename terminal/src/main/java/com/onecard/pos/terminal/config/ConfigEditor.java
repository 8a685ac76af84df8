package com.onecard.pos.terminal.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Changes one key of the configuration file in place, keeping its comments: the whole
 * resulting file is validated first, and written atomically only when valid.
 */
public final class ConfigEditor {
    private ConfigEditor() {
    }

    public static TerminalConfig set(Path file, String key, String value) throws ConfigException {
        if (!key.matches("[a-z0-9.-]+")) {
            throw new ConfigException(key + ": not a configuration key");
        }
        if (value.contains("\n")) {
            throw new ConfigException(key + ": value must be one line");
        }
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String line = key + "=" + value;
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).trim();
            if (t.startsWith(key + "=") || t.startsWith(key + " ") || t.equals(key)) {
                lines.set(i, line);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(line);
        }
        String text = String.join("\n", lines) + "\n";
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new ConfigException("cannot parse the edited file: " + e.getMessage(), e);
        }
        TerminalConfig next = ConfigLoader.parseFile(p, file);
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ConfigException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return next;
    }
}
