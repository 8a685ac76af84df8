package com.onecard.pos.center.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls to the app's service for tests: the JSON reply with its status as {@code http_status}. */
public final class AppClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    public final ObjectMapper json = new ObjectMapper();

    public AppClient(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    public ObjectNode obj() {
        return json.createObjectNode();
    }

    public JsonNode get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET();
        return send(auth(b, token));
    }

    public JsonNode post(String path, String token, JsonNode body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            return send(auth(b, token));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A POST with extra request headers (name, value, name, value …). */
    public JsonNode post(String path, String token, JsonNode body, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            for (int i = 0; i + 1 < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return send(auth(b, token));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode postBytes(String path, String token, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return send(auth(b, token));
    }

    /** Any method, raw path (not re-encoded), the reply as status and text. */
    public HttpResponse<String> raw(String method, String rawPath, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + rawPath)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        try {
            return http.send(auth(b, token).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<byte[]> bytes(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET();
        try {
            return http.send(auth(b, token).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.Builder auth(HttpRequest.Builder b, String token) {
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private JsonNode send(HttpRequest.Builder b) {
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = r.body().length == 0 ? json.createObjectNode() : json.readTree(r.body());
            ObjectNode out = body instanceof ObjectNode o ? o : json.createObjectNode().set("body", body);
            return out.put("http_status", r.statusCode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
