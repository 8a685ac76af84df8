package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.ledger.Accounts;
import com.onecard.pos.center.ledger.Messages;
import com.onecard.pos.center.ledger.QrPayments;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The campus app's HTTP JSON API over the center's ledger, on the JDK's built-in server (the
 * campus app's service, issue 13, replaces it with an authenticated one). Every reply is JSON; a refusal is {@code {"error": ..., "code": ...}} with 400 (bad
 * field), 403 (password), 404 (unknown account or card) or 409 (state does not allow it).
 * Request bodies are never logged: they carry card passwords.
 */
public final class AppApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AppApi.class);
    private static final int MAX_BODY = 64 * 1024;
    private static final Pattern ACCOUNT_PATH = Pattern.compile("/api/v1/accounts/([0-9]{1,18})/([a-z]+)");

    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper json = new ObjectMapper();
    private final AccountEndpoints accounts;
    private final QrEndpoints qr;

    private AppApi(HttpServer server, ExecutorService executor, Accounts accounts, Messages messages, QrPayments qr,
                   Clock clock) {
        this.server = server;
        this.executor = executor;
        this.accounts = new AccountEndpoints(accounts, messages, json, clock);
        this.qr = new QrEndpoints(qr, json, clock);
    }

    /** Binds {@code addr} (port 0 = ephemeral) and serves until {@link #close()}. */
    public static AppApi start(Accounts accounts, Messages messages, QrPayments qr, InetSocketAddress addr,
                               Clock clock) {
        HttpServer server;
        try {
            server = HttpServer.create(addr, 64);
        } catch (IOException e) {
            throw new UncheckedIOException("binding the app API on " + addr, e);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "app-api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AppApi api = new AppApi(server, executor, accounts, messages, qr, clock);
        server.createContext("/api/v1/", api::handle);
        server.setExecutor(executor);
        server.start();
        log.info("app API listening on {}:{}", addr.getHostString(), api.port());
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        URI uri = ex.getRequestURI();
        try {
            send(ex, 200, route(method, uri.getPath(), query(uri.getRawQuery()), ex));
        } catch (ApiError e) {
            send(ex, e.status, error(e.code, e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("app API {} {} failed: {}", method, uri.getPath(), e.toString());
            send(ex, 500, error("INTERNAL", "the card center failed: " + e.getClass().getSimpleName()));
        } finally {
            ex.close();
        }
    }

    private JsonNode route(String method, String path, Map<String, String> query, HttpExchange ex) throws IOException {
        Matcher m = ACCOUNT_PATH.matcher(path);
        if (m.matches()) {
            long id = Long.parseLong(m.group(1));
            String what = m.group(2);
            return switch (method + " " + what) {
                case "POST topups" -> accounts.topUp(id, body(ex));
                case "GET balance" -> accounts.balance(id);
                case "GET bills" -> accounts.bills(id, query);
                case "POST loss" -> accounts.reportLoss(id, body(ex));
                case "POST unloss" -> accounts.cancelLoss(id, body(ex));
                case "GET messages" -> accounts.messages(id);
                default -> throw noRoute(method, path);
            };
        }
        return switch (method + " " + path) {
            case "POST /api/v1/found-cards" -> accounts.foundCard(body(ex));
            case "POST /api/v1/qr/pay" -> qr.pay(body(ex));
            case "POST /api/v1/qr/parse" -> qr.parse(body(ex));
            default -> throw noRoute(method, path);
        };
    }

    private static ApiError noRoute(String method, String path) {
        return new ApiError(404, "NO_SUCH_ENDPOINT", "no endpoint " + method + " " + path);
    }

    private JsonNode body(HttpExchange ex) throws IOException {
        byte[] bytes;
        try (InputStream in = ex.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new ApiError(400, "BODY_TOO_LARGE", "request body exceeds " + MAX_BODY + " bytes");
        }
        try {
            JsonNode n = json.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new ApiError(400, "BAD_JSON", "request body must be a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiError(400, "BAD_JSON", "request body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private ObjectNode error(String code, String message) {
        return json.createObjectNode().put("error", message).put("code", code);
    }

    private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
