package com.onecard.pos.center.app;

/**
 * One endpoint of the app's service: method, path (Javalin's {@code {param}} syntax, as in
 * docs/app-api.yaml), who may call it, and the handler. The table of routes is what the
 * server registers and what the test compares with the API document.
 */
record Route(String method, String path, Access access, Handler handler) {
    /** Returns a JSON object (200), a {@link Reply}, or throws a Refusal. */
    @FunctionalInterface
    interface Handler {
        Object handle(Call call) throws Exception;
    }
}
