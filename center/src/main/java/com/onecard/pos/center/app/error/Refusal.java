package com.onecard.pos.center.app.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal the app shows as it is: its {@link AppError} (code, status, Chinese text), an
 * English message naming the field, account or order at fault, and optional details
 * ({@code field}, {@code retry_after_s}, {@code attempts_left}). Never carries a password or a code.
 */
public final class Refusal extends RuntimeException {
    private final AppError error;
    private final Map<String, Object> details = new LinkedHashMap<>();

    public Refusal(AppError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public static Refusal badField(String field, String why) {
        return new Refusal(AppError.BAD_FIELD, field + " " + why).detail("field", field);
    }

    public AppError error() {
        return error;
    }

    public Refusal detail(String key, Object value) {
        details.put(key, value);
        return this;
    }

    public Map<String, Object> details() {
        return details;
    }
}
