package com.onecard.pos.terminal.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads one key's text by its {@link ConfigKey} rule into {@link ConfigValues}. */
final class ConfigValueReader {
    private ConfigValueReader() {
    }

    static void read(ConfigKey k, String text, Path base, ConfigValues v, List<String> warnings) throws ConfigException {
        String key = k.name();
        int control = ConfigKey.Charset.TEXT.firstBad(text);
        if (control >= 0 && k.type() != ConfigKey.Type.TEXT) {
            throw new ConfigException(key + ": the value holds a control character at position " + (control + 1));
        }
        switch (k.type()) {
            case TEXT -> v.put(key, text(k, text), text);
            case CHOICE -> {
                if (!k.choices().contains(text)) {
                    throw new ConfigException(key + ": expected " + or(k.choices()) + ", got '" + text + "'");
                }
                v.put(key, text, text);
            }
            case BOOL -> {
                if (!text.equals("true") && !text.equals("false")) {
                    throw new ConfigException(key + ": expected true or false, got '" + text + "'");
                }
                v.put(key, Boolean.parseBoolean(text), text);
            }
            case INT -> {
                long n = integer(k, text, warnings);
                v.put(key, n, Long.toString(n));
            }
            case PATH, OPTIONAL_PATH -> {
                if (text.isEmpty()) {
                    if (k.type() == ConfigKey.Type.PATH) {
                        throw new ConfigException(key + ": missing (a path is required)");
                    }
                    v.put(key, null, "");
                } else {
                    Path p = path(key, text, base);
                    v.put(key, p, p.toString());
                }
            }
            case PERIODS -> {
                List<MealPeriod> periods = periods(key, text);
                v.put(key, periods, periods.stream().map(MealPeriod::toString).collect(Collectors.joining("; ")));
            }
            case MENU -> {
                List<MenuItem> menu = menu(key, text);
                v.put(key, menu, menu.stream().map(MenuItem::toString).collect(Collectors.joining("; ")));
            }
        }
    }

    private static String text(ConfigKey k, String text) throws ConfigException {
        ConfigKey.TextRule r = k.text();
        int len = text.codePointCount(0, text.length());
        String why = r.source().isEmpty() ? "" : " (" + r.source() + ")";
        if (len > r.maxLength()) {
            throw new ConfigException(k.name() + ": '" + text + "' is " + len + " characters; at most " + r.maxLength() + why);
        }
        if (len < r.minLength()) {
            throw new ConfigException(k.name() + ": needs at least " + r.minLength() + " character" + (r.minLength() == 1 ? "" : "s") + why);
        }
        int bad = r.charset().firstBad(text);
        if (bad >= 0) {
            int cp = text.codePoints().toArray()[bad];
            String shown = Character.isISOControl(cp) ? String.format("U+%04X", cp) : "'" + Character.toString(cp) + "'";
            String hint = "";
            if (r.charset() == ConfigKey.Charset.EMV_ANS && (k.name().equals("terminal.merchant-name") || k.name().equals("terminal.city"))) {
                hint = "; put Chinese or accented names in " + k.name().replace("terminal.city", "terminal.city-zh")
                        .replace("terminal.merchant-name", "terminal.merchant-name-zh") + " (EMVCo tag 64)";
            }
            throw new ConfigException(k.name() + ": character " + shown + " at position " + (bad + 1) + " is not allowed; use "
                    + r.charset().description() + why + hint);
        }
        return text;
    }

    private static long integer(ConfigKey k, String text, List<String> warnings) throws ConfigException {
        Long n = parseOrNull(text);
        String range = k.choices().isEmpty() ? k.min() + " to " + k.max() : String.join(", ", k.choices());
        String unit = k.unit().isEmpty() ? "" : " " + k.unit();
        if (n == null) {
            throw new ConfigException(k.name() + ": expected a whole number" + unit + " (" + range + "), got '" + text + "'");
        }
        if (!k.choices().isEmpty()) {
            if (!k.choices().contains(Long.toString(n))) {
                throw new ConfigException(k.name() + ": must be one of " + range + unit + ", got " + text);
            }
            return n;
        }
        if (n < k.min() || n > k.max()) {
            if (!k.clamp()) {
                throw new ConfigException(k.name() + ": must be between " + k.min() + " and " + k.max() + unit + ", got " + text);
            }
            long used = Math.max(k.min(), Math.min(k.max(), n));
            warnings.add(k.name() + "=" + text + " is outside " + k.min() + ".." + k.max() + unit + ", using " + used);
            return used;
        }
        return n;
    }

    /** Digits with an optional leading minus, ASCII only, within a long; else null. */
    private static Long parseOrNull(String text) {
        if (!text.matches("-?[0-9]{1,18}")) {
            return null;
        }
        return Long.parseLong(text);
    }

    private static Path path(String key, String text, Path base) throws ConfigException {
        try {
            Path p = Path.of(text);
            return p.isAbsolute() ? p.normalize() : base.resolve(p).normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(key + ": '" + text + "' is not a path (" + e.getReason() + ")");
        }
    }

    private static List<MealPeriod> periods(String key, String text) throws ConfigException {
        List<MealPeriod> out = new ArrayList<>();
        for (String spec : text.split(";")) {
            if (spec.isBlank()) {
                continue;
            }
            try {
                out.add(MealPeriod.parse(spec));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": " + e.getMessage());
            }
        }
        if (out.size() > 6) {
            throw new ConfigException(key + ": at most 6 meal periods, got " + out.size());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < out.size(); i++) {
            if (!names.add(out.get(i).name())) {
                throw new ConfigException(key + ": meal period '" + out.get(i).name() + "' is named twice");
            }
            for (int j = i + 1; j < out.size(); j++) {
                MealPeriod a = out.get(i);
                MealPeriod b = out.get(j);
                if (a.start().isBefore(b.end()) && b.start().isBefore(a.end())) {
                    throw new ConfigException(key + ": '" + a.name() + "' overlaps '" + b.name() + "'");
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<MenuItem> menu(String key, String text) throws ConfigException {
        List<MenuItem> out = new ArrayList<>();
        Set<Integer> numbers = new HashSet<>();
        for (String spec : text.split(";")) {
            if (spec.isBlank()) {
                continue;
            }
            MenuItem m;
            try {
                m = MenuItem.parse(spec);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": " + e.getMessage());
            }
            if (!numbers.add(m.number())) {
                throw new ConfigException(key + ": number " + m.number() + " is used twice");
            }
            out.add(m);
        }
        return List.copyOf(out);
    }

    private static String or(List<String> choices) {
        if (choices.size() == 1) {
            return choices.get(0);
        }
        return String.join(", ", choices.subList(0, choices.size() - 1)) + " or " + choices.get(choices.size() - 1);
    }
}
