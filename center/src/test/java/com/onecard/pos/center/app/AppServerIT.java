package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.testing.AppFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP service itself: its document, its refusals as JSON, and that a few slow clients block nobody. */
class AppServerIT {
    @TempDir
    Path dir;
    AppFixture f;

    @BeforeEach
    void start() {
        f = new AppFixture("app_server", dir, c -> c.withServer(16, 2_000));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void theServedDocumentIsTheCheckedInOneAndListsExactlyTheRoutes() throws Exception {
        HttpResponse<String> served = f.client.raw("GET", "/api/v1/openapi.yaml", null);
        assertThat(served.statusCode()).isEqualTo(200);
        String checkedIn = Files.readString(Path.of("..", "docs", "app-api.yaml"), StandardCharsets.UTF_8);
        assertThat(served.body()).isEqualTo(checkedIn);

        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(checkedIn);
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            p.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey()));
        }
        Set<String> served2 = new TreeSet<>();
        for (Route r : f.app.routes()) {
            served2.add(r.method() + " " + r.path());
        }
        assertThat(served2).isEqualTo(documented);

        Set<String> codes = new TreeSet<>();
        doc.path("components").path("schemas").path("Error").path("properties").path("code").path("enum")
                .forEach(n -> codes.add(n.asText()));
        Set<String> errors = new TreeSet<>();
        for (AppError e : AppError.values()) {
            errors.add(e.name());
        }
        assertThat(codes).isEqualTo(errors);
    }

    @Test
    void publicAndProviderRoutesAreTheOnlyOnesWithoutAToken() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "docs", "app-api.yaml").toFile());
        for (Route r : f.app.routes()) {
            JsonNode op = doc.path("paths").path(r.path()).path(r.method().toLowerCase());
            boolean documentedPublic = op.has("security") && op.path("security").isEmpty();
            assertThat(documentedPublic).as(r.method() + " " + r.path())
                    .isEqualTo(r.access() == Access.PUBLIC || r.access() == Access.PROVIDER);
            if (r.access() != Access.PUBLIC && r.access() != Access.PROVIDER) {
                HttpResponse<String> resp = f.client.raw(r.method(), r.path().replace("{out_trade_no}", "T1")
                        .replace("{photo_id}", "1").replace("{login_name}", "x"), null);
                assertThat(resp.statusCode()).as(r.method() + " " + r.path()).isEqualTo(401);
                assertThat(resp.body()).contains("\"NOT_AUTHENTICATED\"");
            }
        }
    }

    @Test
    void aMalformedQueryGetsJsonNotAnHtmlPage() throws Exception {
        for (String target : List.of("/api/v1/me/bills?page=%zz", "/api/v1/openapi.yaml?%zz=1", "/api/v1/%zz")) {
            String reply = rawRequest("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(reply).as(target).startsWith("HTTP/1.1 400");
            assertThat(reply).as(target).containsIgnoringCase("Content-Type: application/json")
                    .contains("\"code\":\"BAD_QUERY\"").doesNotContain("<html");
        }
    }

    private String rawRequest(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", f.app.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void headAndOptionsOnAPostRouteAre405WithJsonAndAnUnknownPathIs404() {
        for (String m : List.of("HEAD", "OPTIONS", "PUT", "DELETE")) {
            HttpResponse<String> r = f.client.raw(m, "/api/v1/auth/sms-code", null);
            assertThat(r.statusCode()).as(m).isEqualTo(405);
            if (!m.equals("HEAD")) {
                assertThat(r.body()).as(m).contains("\"code\":\"METHOD_NOT_ALLOWED\"");
            }
        }
        HttpResponse<String> none = f.client.raw("GET", "/api/v1/accounts/20260001/balance", null);
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("\"code\":\"NO_SUCH_ENDPOINT\"");
    }

    @Test
    void badJsonAndOversizedBodiesAreRefusedByName() {
        JsonNode bad = f.client.postBytes("/api/v1/auth/sms-code", null, "application/json", "{not json".getBytes());
        assertThat(bad.path("http_status").asInt()).isEqualTo(400);
        assertThat(bad.path("code").asText()).isEqualTo("BAD_JSON");
        JsonNode big = f.client.postBytes("/api/v1/auth/sms-code", null, "application/json",
                new byte[(int) AppServer.MAX_BODY + 10]);
        assertThat(big.path("http_status").asInt()).isEqualTo(413);
        assertThat(big.path("code").asText()).isEqualTo("BODY_TOO_LARGE");
        JsonNode field = f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", "12"));
        assertThat(field.path("code").asText()).isEqualTo("BAD_FIELD");
        assertThat(field.path("field").asText()).isEqualTo("phone");
        assertThat(field.path("message_zh").asText()).isNotBlank();
    }

    @Test
    void slowUploadsDoNotBlockOtherRequests() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", f.app.port()));
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/v1/auth/sms-code HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100000\r\n\r\n{\"phone\":").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }
            long t0 = System.nanoTime();
            HttpResponse<String> r = f.client.raw("GET", "/api/v1/openapi.yaml", null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for a request beside 8 stalled uploads")
                    .isLessThan(1_500);
            InputStream in = slow.get(0).getInputStream();
            slow.get(0).setSoTimeout(10_000);
            byte[] reply = in.readNBytes(12);
            assertThat(new String(reply, StandardCharsets.US_ASCII)).as("the idle upload is cut off").isNotEmpty();
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }
}
