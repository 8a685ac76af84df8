package com.onecard.pos.sim.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.qr.decode.QrImageDecoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A simulated student's phone: reads the terminal's QR code from a picture, as the camera
 * would, and talks to the campus app's API over real HTTP. Every call returns the reply's
 * JSON with the HTTP status added as {@code http_status}, so a scenario can check refusals
 * ({@code code}) as well as successes.
 */
public final class StudentApp {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /** {@code base} is the API's root, e.g. {@code http://127.0.0.1:8080}. */
    public StudentApp(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    public static StudentApp at(int port) {
        return new StudentApp(URI.create("http://127.0.0.1:" + port));
    }

    /** Decodes the QR code in the picture; IOException when the picture holds none. */
    public String scan(Path png) throws IOException {
        return QrImageDecoder.decode(png);
    }

    public JsonNode parse(String payload) {
        return post("/api/v1/qr/parse", json.createObjectNode().put("payload", payload));
    }

    public JsonNode pay(long accountId, String payload) {
        return post("/api/v1/qr/pay", json.createObjectNode().put("account_id", accountId).put("payload", payload));
    }

    public JsonNode topUp(long accountId, long yuan, String channel) {
        return post("/api/v1/accounts/" + accountId + "/topups",
                json.createObjectNode().put("yuan", yuan).put("channel", channel));
    }

    public JsonNode reportLoss(long accountId, String password) {
        return post("/api/v1/accounts/" + accountId + "/loss", json.createObjectNode().put("password", password));
    }

    public JsonNode cancelLoss(long accountId, String password) {
        return post("/api/v1/accounts/" + accountId + "/unloss", json.createObjectNode().put("password", password));
    }

    public JsonNode balance(long accountId) {
        return get("/api/v1/accounts/" + accountId + "/balance");
    }

    public JsonNode bills(long accountId, int page, int size) {
        return get("/api/v1/accounts/" + accountId + "/bills?page=" + page + "&size=" + size);
    }

    public JsonNode messages(long accountId) {
        return get("/api/v1/accounts/" + accountId + "/messages");
    }

    public JsonNode reportFoundCard(String cardUidHex, String finder, String place) {
        return post("/api/v1/found-cards",
                json.createObjectNode().put("card_uid", cardUidHex).put("finder", finder).put("place", place));
    }

    /** POSTs any JSON body; for tests and scenarios that send what a real app would not. */
    public JsonNode post(String path, JsonNode body) {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build());
        } catch (IOException e) {
            throw new UncheckedIOException("encoding the body for " + path, e);
        }
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build());
    }

    private JsonNode send(HttpRequest req) {
        try {
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = json.readTree(r.body());
            ObjectNode out = body instanceof ObjectNode o ? o : json.createObjectNode().set("body", body);
            return out.put("http_status", r.statusCode());
        } catch (IOException e) {
            throw new UncheckedIOException(req.method() + " " + req.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + req.method() + " " + req.uri(), e);
        }
    }
}
