package com.onecard.pos.center.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.app.error.Refusal;
import com.onecard.pos.center.identity.Sessions;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** One request as a handler sees it: the caller (null on public routes), the JSON body, parameters. */
final class Call {
    private final Context ctx;
    private final Sessions.Live caller;
    private final ObjectMapper json;
    private final TrustedProxies proxies;
    private JsonNode body;

    Call(Context ctx, Sessions.Live caller, ObjectMapper json, TrustedProxies proxies) {
        this.ctx = ctx;
        this.caller = caller;
        this.json = json;
        this.proxies = proxies;
    }

    Sessions.Live caller() {
        return caller;
    }

    /** The caller's card account (STUDENT routes only). */
    long accountId() {
        return caller.accountId();
    }

    /**
     * The address rate limits count against: the TCP peer, or, when the peer is a trusted reverse
     * proxy, the right-most untrusted entry of X-Forwarded-For ({@link TrustedProxies}).
     */
    String clientAddress() {
        return proxies.clientAddress(ctx.req().getRemoteAddr(),
                java.util.Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
    }

    ObjectMapper json() {
        return json;
    }

    /** The body as a JSON object; BAD_JSON otherwise. Size is bounded by the server. */
    JsonNode body() {
        if (body == null) {
            byte[] bytes = ctx.bodyAsBytes();
            try {
                JsonNode n = json.readTree(bytes);
                if (n == null || !n.isObject()) {
                    throw AppError.BAD_JSON.with("the request body must be a JSON object");
                }
                body = n;
            } catch (JsonProcessingException e) {
                throw AppError.BAD_JSON.with("the request body is not JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw AppError.BAD_JSON.with("the request body could not be read: " + e.getMessage());
            }
        }
        return body;
    }

    byte[] rawBody() {
        return ctx.bodyAsBytes();
    }

    String contentType() {
        String t = ctx.contentType();
        return t == null ? "" : t;
    }

    /** Request headers, names in lower case, first value each. */
    Map<String, String> headers() {
        Map<String, String> out = new HashMap<>();
        ctx.headerMap().forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return out;
    }

    String path(String name) {
        return ctx.pathParam(name);
    }

    long pathLong(String name) {
        String v = ctx.pathParam(name);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw Refusal.badField(name, "must be a whole number, got '" + v + "'");
        }
    }

    String query(String name) {
        return ctx.queryParam(name);
    }

    int queryInt(String name, int dflt, int min, int max) {
        String v = query(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below with the value named
        }
        throw Refusal.badField(name, "must be a whole number from " + min + " to " + max + ", got '" + v + "'");
    }
}
