package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads request fields strictly: a missing or mistyped field is refused by name. */
final class Fields {
    private Fields() {
    }

    static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw ApiError.badField(field, "is missing");
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw ApiError.badField(field, "must be a non-empty string");
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
            throw ApiError.badField(field, "is missing");
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiError.badField(field, "must be a whole number, got " + n);
        }
        return n.asLong();
    }
}
