package com.onecard.pos.qr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed merchant-presented payload: top-level objects in payload order, and the sub-objects
 * of each template (26–51, 62, 64, 80–99). Immutable.
 */
public final class EmvPayload {
    private final String text;
    private final Map<String, String> objects;
    private final Map<String, Map<String, String>> templates;

    EmvPayload(String text, Map<String, String> objects, Map<String, Map<String, String>> templates) {
        this.text = text;
        this.objects = Collections.unmodifiableMap(new LinkedHashMap<>(objects));
        Map<String, Map<String, String>> t = new LinkedHashMap<>();
        templates.forEach((k, v) -> t.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        this.templates = Collections.unmodifiableMap(t);
    }

    /** The payload text as parsed. */
    public String text() {
        return text;
    }

    /** Top-level ID → raw value (templates included as their raw text), in payload order. */
    public Map<String, String> objects() {
        return objects;
    }

    public Optional<String> get(String id) {
        return Optional.ofNullable(objects.get(id));
    }

    /** Sub-objects of a template, empty when the template is absent. */
    public Map<String, String> template(String id) {
        return templates.getOrDefault(id, Map.of());
    }

    public Optional<String> get(String templateId, String subId) {
        return Optional.ofNullable(template(templateId).get(subId));
    }

    /** Template IDs whose sub-objects were parsed, in payload order. */
    public Map<String, Map<String, String>> templates() {
        return templates;
    }

    /** True for IDs whose value is itself a run of data objects. */
    public static boolean isTemplate(String id) {
        int n = Integer.parseInt(id);
        return (n >= 26 && n <= 51) || n == 62 || n == 64 || n >= 80;
    }

    @Override
    public String toString() {
        return text;
    }
}
