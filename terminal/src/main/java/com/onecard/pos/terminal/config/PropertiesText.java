package com.onecard.pos.terminal.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A strict reader and writer of the configuration's {@code .properties} text. It reads what
 * {@link java.util.Properties#load(java.io.Reader)} reads (comments, {@code = : } or blank
 * separators, escapes, continuation lines) but refuses what that method accepts silently or
 * dies on: a key given twice, a malformed {@code \\u} escape (not four hex digits), a lone carriage return inside
 * a line (how a value with {@code \r} injected a second key), and a trailing backslash that
 * swallows the next line when that line assigns a known key. A UTF-8 byte order mark at the
 * start is skipped. Every error names the line and the key.
 */
public final class PropertiesText {
    /** One key as written: its value (escapes resolved) and the physical lines it spans, 1-based. */
    public record Entry(String key, String value, int firstLine, int lastLine) {
    }

    private PropertiesText() {
    }

    /**
     * Parses {@code text}.
     *
     * @param knownKey tells a key from text: a continuation line that starts with a known key and
     *                 a separator is refused, since it was meant as a line of its own
     * @return the entries in file order
     * @throws ConfigException naming the line (and key) of the first fault
     */
    public static List<Entry> parse(String text, Predicate<String> knownKey) throws ConfigException {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        List<String> lines = splitLines(text);
        Map<String, Entry> seen = new LinkedHashMap<>();
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String first = stripLeading(lines.get(i));
            if (first.isEmpty() || first.charAt(0) == '#' || first.charAt(0) == '!') {
                continue;
            }
            int start = i;
            StringBuilder logical = new StringBuilder(first);
            while (endsWithContinuation(logical) && i + 1 < lines.size()) {
                logical.setLength(logical.length() - 1);
                String next = stripLeading(lines.get(++i));
                String nextKey = keyOf(next);
                if (nextKey != null && knownKey.test(nextKey)) {
                    String key = keyOf(first);
                    throw new ConfigException("line " + (start + 1) + ": the value of " + key + " ends in a backslash, which"
                            + " joins line " + (i + 1) + " (" + nextKey + ") to it; write \\\\ for a backslash at the end of a value");
                }
                logical.append(next);
            }
            if (endsWithContinuation(logical)) {
                logical.setLength(logical.length() - 1); // a continuation at the end of the file continues into nothing
            }
            Entry e = entry(logical.toString(), start + 1, i + 1);
            Entry before = seen.put(e.key(), e);
            if (before != null) {
                throw new ConfigException(e.key() + ": set twice, on line " + before.firstLine() + " and on line " + e.firstLine()
                        + "; keep one");
            }
            out.add(e);
        }
        return out;
    }

    /**
     * The text of one {@code key=value} line that {@link #parse} reads back as exactly
     * {@code value}: backslashes, leading blanks and characters outside printable ASCII are
     * escaped; Chinese text stays readable (written as UTF-8).
     *
     * @throws ConfigException when the value holds a control character (a line break, a
     *                         carriage return, a tab, ...): no configuration value may
     */
    public static String line(String key, String value) throws ConfigException {
        StringBuilder sb = new StringBuilder(key.length() + value.length() + 8).append(key).append('=');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw new ConfigException(key + ": the value holds a control character (U+"
                        + String.format("%04X", (int) c) + ") at position " + (i + 1) + "; a value is one line of text");
            }
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c == ' ' && i == 0) {
                sb.append("\\ ");
            } else if (c == '\uFEFF') {
                sb.append("\\uFEFF");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static List<String> splitLines(String text) throws ConfigException {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                lines.add(text.substring(start, i));
                start = i + 1;
            } else if (c == '\r') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    lines.add(text.substring(start, i));
                    start = i + 2;
                    i++;
                } else {
                    String partial = stripLeading(text.substring(start, i));
                    String key = keyOf(partial);
                    throw new ConfigException("line " + (lines.size() + 1) + (key == null ? "" : " (" + key + ")")
                            + ": a carriage return inside the line would start a new key there; remove it");
                }
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static boolean endsWithContinuation(CharSequence s) {
        int slashes = 0;
        for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
            slashes++;
        }
        return slashes % 2 == 1;
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\f')) {
            i++;
        }
        return s.substring(i);
    }

    /** The key of a line that looks like an assignment, else null. */
    private static String keyOf(String line) {
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\f') {
                break;
            }
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_')) {
                return null;
            }
            i++;
        }
        return i == 0 ? null : line.substring(0, i);
    }

    private static Entry entry(String logical, int firstLine, int lastLine) throws ConfigException {
        int i = 0;
        int n = logical.length();
        StringBuilder key = new StringBuilder();
        while (i < n) {
            char c = logical.charAt(i);
            if (c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\f') {
                break;
            }
            if (c == '\\' && i + 1 < n) {
                i = unescape(logical, i, key, firstLine, null);
                continue;
            }
            key.append(c);
            i++;
        }
        while (i < n && (logical.charAt(i) == ' ' || logical.charAt(i) == '\t' || logical.charAt(i) == '\f')) {
            i++;
        }
        if (i < n && (logical.charAt(i) == '=' || logical.charAt(i) == ':')) {
            i++;
            while (i < n && (logical.charAt(i) == ' ' || logical.charAt(i) == '\t' || logical.charAt(i) == '\f')) {
                i++;
            }
        }
        StringBuilder value = new StringBuilder();
        String k = key.toString();
        while (i < n) {
            char c = logical.charAt(i);
            if (c == '\\' && i + 1 < n) {
                i = unescape(logical, i, value, firstLine, k);
            } else {
                value.append(c);
                i++;
            }
        }
        return new Entry(k, value.toString(), firstLine, lastLine);
    }

    /** Resolves the escape at {@code s[i]} (a backslash) into {@code out}; returns the index after it. */
    private static int unescape(String s, int i, StringBuilder out, int line, String key) throws ConfigException {
        char c = s.charAt(i + 1);
        switch (c) {
            case 't' -> out.append('\t');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 'f' -> out.append('\f');
            case 'u' -> {
                if (i + 6 > s.length() || !isHex(s, i + 2, i + 6)) {
                    String bad = s.substring(i, Math.min(s.length(), i + 6));
                    throw new ConfigException("line " + line + (key == null ? "" : " (" + key + ")") + ": '" + bad
                            + "' is not a \\uXXXX escape (four hex digits); write \\\\u for a backslash followed by u");
                }
                out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                return i + 6;
            }
            default -> out.append(c);
        }
        return i + 2;
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0 || s.charAt(i) > 'f') {
                return false;
            }
        }
        return true;
    }
}
