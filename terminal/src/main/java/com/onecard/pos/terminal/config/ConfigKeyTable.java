package com.onecard.pos.terminal.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The key table of {@link ConfigKeys} in words, as {@code posctl config keys} prints it and
 * {@code docs/configuration.md} carries it (a test keeps the two the same): each key, the values
 * it accepts, its default, whether a change applies at once or at the next restart, and who may
 * set it: the card center's config stream too (a card office's key), or the terminal only.
 */
public final class ConfigKeyTable {
    private ConfigKeyTable() {
    }

    /** One row: key, accepted values, default, when a change applies, who may set it, notes. */
    public record Row(String key, String accepted, String defaultValue, String applies, String setBy, String notes) {
    }

    public static List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (ConfigKey k : ConfigKeys.all()) {
            String def = k.required() ? "(required)" : k.defaultValue().isEmpty() ? "(empty)" : k.defaultValue();
            List<String> notes = new ArrayList<>();
            if (k.secretContents()) {
                notes.add("the file's contents are secret: shown by name, never read out");
            }
            if (k.type() == ConfigKey.Type.PATH || k.type() == ConfigKey.Type.OPTIONAL_PATH) {
                if (k.file() != ConfigKey.FileRule.NONE) {
                    notes.add("checked by config validate and at start");
                }
            }
            out.add(new Row(k.name(), k.rule(), def, k.live() ? "at once" : "at restart",
                    k.remote() ? "terminal or card center" : "terminal only", String.join("; ", notes)));
        }
        return out;
    }

    /** The table as Markdown, one row per key, in reading order. */
    public static String markdown() {
        StringBuilder b = new StringBuilder("| key | accepted values | default | a change applies | set by | notes |\n|---|---|---|---|---|---|\n");
        for (Row r : rows()) {
            b.append("| `").append(r.key()).append("` | ").append(cell(r.accepted())).append(" | ").append(cell(r.defaultValue()))
                    .append(" | ").append(r.applies()).append(" | ").append(r.setBy()).append(" | ").append(cell(r.notes())).append(" |\n");
        }
        return b.toString();
    }

    /** The table as plain text for a terminal: one key a paragraph. */
    public static String text() {
        StringBuilder b = new StringBuilder();
        for (Row r : rows()) {
            b.append(r.key()).append('\n')
                    .append("    values:  ").append(r.accepted()).append('\n')
                    .append("    default: ").append(r.defaultValue()).append('\n')
                    .append("    applies: ").append(r.applies()).append('\n')
                    .append("    set by:  ").append(r.setBy()).append('\n');
            if (!r.notes().isEmpty()) {
                b.append("    note:    ").append(r.notes()).append('\n');
            }
        }
        return b.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
