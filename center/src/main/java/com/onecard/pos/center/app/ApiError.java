package com.onecard.pos.center.app;

/** A refusal the app shows as is: HTTP status, a stable code and a message naming the bad field. */
final class ApiError extends RuntimeException {
    final int status;
    final String code;

    ApiError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static ApiError badField(String field, String why) {
        return new ApiError(400, "BAD_" + field.toUpperCase(java.util.Locale.ROOT), field + " " + why);
    }

    static ApiError notFound(String what) {
        return new ApiError(404, "NOT_FOUND", what + " not found");
    }
}
