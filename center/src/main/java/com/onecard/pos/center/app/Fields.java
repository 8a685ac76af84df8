package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.app.error.Refusal;

/** Reads request fields strictly: a missing or mistyped field is refused by name (BAD_FIELD, {@code field}). */
final class Fields {
    private static final int MAX_TEXT = 1000;

    private Fields() {
    }

    static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw Refusal.badField(field, "is missing");
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw Refusal.badField(field, "must be a non-empty string");
        }
        if (n.asText().length() > MAX_TEXT) {
            throw Refusal.badField(field, "must be at most " + MAX_TEXT + " characters");
        }
        return n.asText();
    }

    static String optionalText(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : text(body, field);
    }

    /** A whole number; 12.5, "12" or 1e3 are refused rather than rounded. */
    static long whole(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw Refusal.badField(field, "is missing");
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw Refusal.badField(field, "must be a whole number, got " + n);
        }
        return n.asLong();
    }

    static boolean bool(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isBoolean()) {
            throw Refusal.badField(field, "must be true or false");
        }
        return n.asBoolean();
    }

    /** A mainland mobile number: 11 digits starting with 1 (a leading +86 is dropped). */
    static String phone(JsonNode body, String field) {
        String p = text(body, field).replace(" ", "").replace("-", "");
        if (p.startsWith("+86")) {
            p = p.substring(3);
        }
        if (!p.matches("1[3-9]\\d{9}")) {
            throw Refusal.badField(field, "must be an 11-digit mobile number starting with 1");
        }
        return p;
    }

    /** A device id the app makes up once per install: 8 to 64 letters, digits, '-' or '_'. */
    static String deviceId(JsonNode body) {
        String d = text(body, "device_id");
        if (!d.matches("[A-Za-z0-9_-]{8,64}")) {
            throw Refusal.badField("device_id", "must be 8 to 64 letters, digits, '-' or '_'");
        }
        return d;
    }
}
