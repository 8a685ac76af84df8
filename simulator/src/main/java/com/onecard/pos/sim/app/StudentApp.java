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
import java.util.UUID;

/**
 * A simulated student's phone with the campus app on it: logs in the way the app's manual says
 * (SMS code read from the inbox, then student number and password, then the forced change of
 * the initial password), keeps its tokens (refreshing them when they expire), pays top-ups at
 * the provider's page and waits for the order to be credited, reads QR codes from pictures as
 * the camera would. Every call returns the reply's JSON with its HTTP status as
 * {@code http_status}, so a scenario can check refusals ({@code code}) as well as successes.
 */
public final class StudentApp {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private volatile URI base;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final SmsInbox inbox;
    private final String phone;
    private final String deviceId = "sim-" + UUID.randomUUID();
    private volatile String accessToken;
    private volatile String refreshToken;

    public StudentApp(URI base, SmsInbox inbox, String phone) {
        this.base = base;
        this.inbox = inbox;
        this.phone = phone;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** The service moved (the center restarted on another port). */
    public void base(URI newBase) {
        this.base = newBase;
    }

    public String phone() {
        return phone;
    }

    public String accessToken() {
        return accessToken;
    }

    /** Decodes the QR code in the picture; IOException when the picture holds none. */
    public static String scan(Path png) throws IOException {
        return QrImageDecoder.decode(png);
    }

    /**
     * The manual's login: a code to this phone, then (for a number not yet bound) the student
     * number and password. Returns the last reply; tokens are kept when it logged in.
     */
    public JsonNode login(String studentNumber, String password) {
        int since = inbox.mark();
        JsonNode sent = call("POST", "/api/v1/auth/sms-code", obj().put("phone", phone), false);
        if (sent.path("http_status").asInt() != 200) {
            return sent;
        }
        JsonNode step = call("POST", "/api/v1/auth/phone-login", obj().put("phone", phone)
                .put("code", inbox.code(phone, since)).put("device_id", deviceId), false);
        if (step.path("http_status").asInt() == 200 && !step.path("logged_in").asBoolean()) {
            step = call("POST", "/api/v1/auth/login", obj().put("student_number", studentNumber).put("password", password)
                    .put("phone_ticket", step.path("phone_ticket").asText()).put("device_id", deviceId), false);
        }
        keep(step);
        return step;
    }

    /** Login with the initial password and its forced change; AssertionError-free: returns the failing reply. */
    public JsonNode firstLogin(String studentNumber, String initialPassword, String newPassword) {
        JsonNode r = login(studentNumber, initialPassword);
        if (r.path("http_status").asInt() != 200 || !r.path("must_change_password").asBoolean()) {
            return r;
        }
        return post("/api/v1/me/password", obj().put("current_password", initialPassword).put("new_password", newPassword));
    }

    public JsonNode logout() {
        return post("/api/v1/auth/logout", obj());
    }

    public JsonNode balance() {
        return get("/api/v1/me/balance");
    }

    public JsonNode bills(int page, int size) {
        return get("/api/v1/me/bills?page=" + page + "&size=" + size);
    }

    public JsonNode messages() {
        return get("/api/v1/me/messages");
    }

    public JsonNode reportLoss(String cardPassword) {
        return post("/api/v1/me/loss", obj().put("card_password", cardPassword));
    }

    public JsonNode cancelLoss(String cardPassword) {
        return post("/api/v1/me/unloss", obj().put("card_password", cardPassword));
    }

    public JsonNode reportFoundCard(String cardUidHex, String place) {
        return post("/api/v1/found-cards", obj().put("card_uid", cardUidHex).put("place", place));
    }

    public JsonNode parse(String payload) {
        return post("/api/v1/qr/parse", obj().put("payload", payload));
    }

    /** Pays a scanned code; the card password is sent when the code's amount asks for it. */
    public JsonNode pay(String payload, String cardPassword) {
        JsonNode look = parse(payload);
        ObjectNode body = obj().put("payload", payload);
        if (look.path("card_password_required").asBoolean() && cardPassword != null) {
            body.put("card_password", cardPassword);
        }
        return post("/api/v1/qr/pay", body);
    }

    public JsonNode order(String outTradeNo) {
        return get("/api/v1/topups/" + outTradeNo);
    }

    /** Creates an order only (no payment): what an app that stops at the cashier's page leaves behind. */
    public JsonNode createOrder(long yuan, String channel) {
        return post("/api/v1/topups", obj().put("yuan", yuan).put("channel", channel));
    }

    /**
     * A whole top-up: the order, the provider's page (the browser follows pay_url), the student
     * confirms there, then back in the app the order is polled until it is no longer CREATED.
     * Returns the order as last seen (state PAID when credited), or the refusal.
     */
    public JsonNode topUp(long yuan, String channel) {
        JsonNode order = createOrder(yuan, channel);
        if (order.path("http_status").asInt() != 200) {
            return order;
        }
        String no = order.path("out_trade_no").asText();
        JsonNode page = browse("GET", order.path("pay_url").asText());
        JsonNode confirmed = browse("POST", page.path("confirm_url").asText());
        if (confirmed.path("http_status").asInt() != 200) {
            return order(no).deepCopy();
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode seen = order(no);
        while (seen.path("state").asText().equals("CREATED") && System.nanoTime() < deadline) {
            pause(50);
            seen = order(no);
        }
        return seen;
    }

    /** The provider's pages, as the phone's browser opens them (no token: they are the provider's). */
    private JsonNode browse(String method, String url) {
        if (url.isEmpty()) {
            return obj().put("http_status", 0);
        }
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    public JsonNode post(String path, JsonNode body) {
        return call("POST", path, body, true);
    }

    public JsonNode get(String path) {
        return call("GET", path, null, true);
    }

    private JsonNode call(String method, String path, JsonNode body, boolean authed) {
        JsonNode r = once(method, path, body, authed);
        if (authed && r.path("code").asText().equals("TOKEN_EXPIRED") && refreshToken != null) {
            JsonNode fresh = once("POST", "/api/v1/auth/refresh", obj().put("refresh_token", refreshToken)
                    .put("device_id", deviceId), false);
            keep(fresh);
            r = once(method, path, body, authed);
        }
        return r;
    }

    private JsonNode once(String method, String path, JsonNode body, boolean authed) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
        if (authed && accessToken != null) {
            b.header("Authorization", "Bearer " + accessToken);
        }
        try {
            if (body == null) {
                b.GET();
            } else {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding the body for " + path, e);
        }
        return send(b);
    }

    private void keep(JsonNode r) {
        if (r.path("http_status").asInt() == 200 && r.has("access_token")) {
            accessToken = r.path("access_token").asText();
            refreshToken = r.path("refresh_token").asText();
        }
    }

    public ObjectNode obj() {
        return json.createObjectNode();
    }

    private JsonNode send(HttpRequest.Builder b) {
        HttpRequest req = b.build();
        try {
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body;
            try {
                body = r.body().length == 0 ? json.createObjectNode() : json.readTree(r.body());
            } catch (IOException e) {
                body = json.createObjectNode().put("text", new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            ObjectNode out = body instanceof ObjectNode o ? o : json.createObjectNode().set("body", body);
            return out.put("http_status", r.statusCode());
        } catch (IOException e) {
            throw new UncheckedIOException(req.method() + " " + req.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + req.method() + " " + req.uri(), e);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
