package com.onecard.pos.terminal.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Values already read and checked, by key, in {@link ConfigKeys} order. */
public final class ConfigValues {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();

    void put(String key, Object value, String text) {
        values.put(key, value);
        texts.put(key, text);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The effective value as configuration text (after defaults and clamping). */
    public String text(String key) {
        return texts.get(key);
    }

    public String str(String key) {
        return (String) get(key);
    }

    public boolean bool(String key) {
        return (Boolean) get(key);
    }

    public long num(String key) {
        return (Long) get(key);
    }

    public int integer(String key) {
        return Math.toIntExact((Long) get(key));
    }

    public Duration millis(String key) {
        return Duration.ofMillis(num(key));
    }

    /** A PATH key's path, or null for an empty OPTIONAL_PATH. */
    public Path path(String key) {
        return (Path) get(key);
    }

    @SuppressWarnings("unchecked")
    public <T> List<T> list(String key) {
        return (List<T>) get(key);
    }

    private Object get(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalStateException(key + " is read before it is parsed; see the order in ConfigKeys");
        }
        return values.get(key);
    }
}
