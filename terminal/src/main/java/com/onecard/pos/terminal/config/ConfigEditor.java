package com.onecard.pos.terminal.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes one key of the configuration file in place, keeping its comments and layout. The
 * value is written with escaping that reads back as exactly that value; a value with a control
 * character is refused. The whole resulting file is validated first, with every check the
 * daemon makes at start, and written atomically only when valid.
 */
public final class ConfigEditor {
    private ConfigEditor() {
    }

    /**
     * Sets {@code key} to {@code value} in {@code file}.
     *
     * @return the configuration the file now holds; its {@link TerminalConfig#warnings()} say
     *         which values were clamped
     * @throws ConfigException naming the key (or the line of the file) when the change is refused;
     *                         the file is then unchanged
     */
    public static TerminalConfig set(Path file, String key, String value) throws ConfigException {
        if (!ConfigKeys.known(key)) {
            String hint = ConfigKeys.closest(key).map(c -> "; did you mean " + c + "?").orElse("");
            throw new ConfigException(key + ": not a configuration key" + hint);
        }
        String newLine = PropertiesText.line(key, value.strip());
        String text = ConfigLoader.readText(file);
        List<PropertiesText.Entry> entries;
        try {
            entries = PropertiesText.parse(text, ConfigKeys::known);
        } catch (ConfigException e) {
            throw new ConfigException(file + " cannot be edited until it is fixed: " + e.getMessage(), e);
        }
        boolean bom = text.startsWith("\uFEFF");
        List<String> lines = new ArrayList<>(List.of((bom ? text.substring(1) : text).split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        PropertiesText.Entry old = entries.stream().filter(e -> e.key().equals(key)).findFirst().orElse(null);
        if (old == null) {
            lines.add(newLine);
        } else {
            for (int i = old.lastLine(); i > old.firstLine(); i--) {
                lines.remove(i - 1);
            }
            lines.set(old.firstLine() - 1, newLine);
        }
        String edited = (bom ? "\uFEFF" : "") + String.join("\n", lines) + "\n";
        TerminalConfig next = ConfigLoader.parseText(edited, file, ConfigLoader.Checks.FILES);
        String readBack = next.effective().get(key);
        if (ConfigKeys.find(key).orElseThrow().type() == ConfigKey.Type.TEXT && !readBack.equals(value.strip())
                && !value.isBlank()) {
            throw new ConfigException(key + ": the value would read back as '" + readBack + "'; file unchanged");
        }
        write(file, edited);
        return next;
    }

    private static void write(Path file, String text) throws ConfigException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (view != null) {
                // keep the file's mode (0660 for the daemon and the technicians' group), not the umask's
                Files.setPosixFilePermissions(tmp, view.readAttributes().permissions());
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original is untouched either way
            }
            throw new ConfigException("cannot write " + file + ": " + ConfigFiles.reason(e), e);
        }
    }
}
