package com.onecard.pos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.app.AppService;
import com.onecard.pos.center.app.AppServiceConfig;
import com.onecard.pos.center.identity.PasswordHasher;
import com.onecard.pos.center.identity.SmsCodes;
import com.onecard.pos.sim.pay.Fault;
import com.onecard.pos.sim.pay.ProviderKeys;
import com.onecard.pos.sim.pay.SimulatedProvider;
import com.onecard.pos.sim.pay.SimulatedWechatPay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The campus app's service under an open-loop load of 200 requests/s (each request's latency
 * counted from when it was due, so a stall shows): login by SMS code, balance, a bills page,
 * a top-up order (the center asks the simulated WeChat Pay for it) and the provider's signed
 * notification crediting it; PostgreSQL (durable, fsync on) behind, Argon2id at the production
 * cost. Baseline in the same run: the API document (HTTP and routing, no token, no database).
 * The password login is measured at the rate Argon2id allows, with its hash time beside it.
 */
final class AppBench {
    private final Path work;
    private final int rate;
    private final Duration length;
    private final int students;
    private final ObjectMapper json = new ObjectMapper();
    /** The bench's SMS gateway: the newest code per number in memory (the file sink's reads would be the client's cost). */
    private final Inbox inbox = new Inbox();

    private static final class Inbox implements com.onecard.pos.center.identity.SmsGateway {
        private final java.util.Map<String, String> codes = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void send(String phone, String text) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{6})").matcher(text);
            if (m.find()) {
                codes.put(phone, m.group(1));
            }
        }

        String code(String phone) {
            return codes.get(phone);
        }
    }
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(64))
            .connectTimeout(Duration.ofSeconds(5)).build();

    AppBench(Path work, int rate, Duration length) {
        this.work = work;
        this.rate = rate;
        this.length = length;
        this.students = (int) (rate * length.toSeconds()) + 250;
    }

    void run(Report report) throws Exception {
        Clock clock = Clock.systemUTC();
        SimulatedWechatPay wechat = new SimulatedWechatPay(ProviderKeys.generate(work.resolve("pay"), "wechat"), clock);
        wechat.start();
        wechat.faults(no -> Fault.NEVER);
        CenterLedger ledger = CenterLedger.open(BenchPostgres.freshDatabase(work, "app", 16), clock).startFeed();
        AppServiceConfig d = AppServiceConfig.defaults();
        AppServiceConfig cfg = d.withTokenSecret(new byte[32]).withSms(inbox)
                .withProviders(wechat.centerConfig(), null)
                .withLimits(SmsCodes.Limits.defaults().withPerAddressPerHour(10_000_000), d.loginPolicies());
        AppService app = AppService.start(ledger, cfg, "127.0.0.1", 0, clock);
        String base = "http://127.0.0.1:" + app.port();
        try {
            List<String> tokens = setUp(ledger, app);
            String load = "open loop " + rate + " req/s for " + length.toSeconds() + " s, latency from each request's"
                    + " due time; PostgreSQL durable; load average " + BenchMain.loadavg() + " before";
            Figure baseline = Figure.of("app_api_document_ms",
                    open(i -> get(base + "/api/v1/openapi.yaml", null)), "ms", null).withNote(load);
            report.add(baseline);
            AtomicInteger phone = new AtomicInteger();
            report.add(Figure.of("app_login_sms_code_ms", open(i -> {
                String p = phoneOf(phone.getAndIncrement() % students);
                post(base + "/api/v1/auth/sms-code", null, "{\"phone\":\"" + p + "\"}");
                post(base + "/api/v1/auth/phone-login", null, "{\"phone\":\"" + p + "\",\"code\":\""
                        + inbox.code(p) + "\",\"device_id\":\"bench-" + i + "x\"}");
            }), "ms", null).against(baseline).withNote(load));
            report.add(Figure.of("app_balance_ms", open(i -> get(base + "/api/v1/me/balance",
                    tokens.get(i % tokens.size()))), "ms", null).against(baseline).withNote(load));
            report.add(Figure.of("app_bills_page_ms", open(i -> get(base + "/api/v1/me/bills?page=2",
                    tokens.get(i % tokens.size()))), "ms", null).against(baseline).withNote(load));
            ConcurrentLinkedQueue<String> orders = new ConcurrentLinkedQueue<>();
            report.add(Figure.of("app_topup_order_ms", open(i -> {
                JsonNode r = post(base + "/api/v1/topups", tokens.get(i % tokens.size()),
                        "{\"yuan\":" + (1 + i % 100) + ",\"channel\":\"wechat\"}");
                orders.add(r.path("out_trade_no").asText());
            }), "ms", null).against(baseline).withNote(load));
            List<String> paid = new ArrayList<>(orders);
            for (String no : paid) {
                wechat.pay(no);
            }
            report.add(Figure.of("app_topup_notification_ms", open(i -> {
                if (i < paid.size()) {
                    SimulatedProvider.Order o = wechat.order(paid.get(i));
                    HttpResponse<String> r = http.send(wechat.signed(URI.create(o.notifyUrl),
                            wechat.notificationBody(o, o.amountFen), false), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 204) {
                        throw new IllegalStateException("notification refused: " + r.body());
                    }
                }
            }), "ms", null).against(baseline).withNote(load));
            passwordLogins(report, app, base);
        } finally {
            app.close();
            ledger.close();
            wechat.close();
        }
    }

    private void passwordLogins(Report report, AppService app, String base) throws Exception {
        PasswordHasher h = app.hasher();
        double[] hash = new double[20];
        for (int i = 0; i < hash.length; i++) {
            long t0 = System.nanoTime();
            h.hash("bench-password-" + i);
            hash[i] = (System.nanoTime() - t0) / 1e6;
        }
        report.add(Figure.of("app_argon2id_hash_ms", hash, "ms", null).withNote("Argon2id " + h.cost()));
        int n = 40;
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            String p = "137" + String.format("%08d", i);
            post(base + "/api/v1/auth/sms-code", null, "{\"phone\":\"" + p + "\"}");
            JsonNode t = post(base + "/api/v1/auth/phone-login", null, "{\"phone\":\"" + p + "\",\"code\":\""
                    + inbox.code(p) + "\",\"device_id\":\"bench-pw-" + i + "\"}");
            long t0 = System.nanoTime();
            JsonNode r = post(base + "/api/v1/auth/login", null, "{\"student_number\":\"pw" + i
                    + "\",\"password\":\"bench-pass-" + i + "\",\"phone_ticket\":\"" + t.path("phone_ticket").asText()
                    + "\",\"device_id\":\"bench-pw-" + i + "\"}");
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (r.path("http_status").asInt() != 200) {
                throw new IllegalStateException("password login refused: " + r);
            }
        }
        report.add(Figure.of("app_password_login_ms", ms, "ms", null)
                .withNote("Argon2id bounds it: 2 cores hold about " + String.format("%.0f", 2000 / Stats.median(hash))
                        + " password checks/s, below 200/s; the daily login is the SMS-code one above"));
    }

    /** Students with bound phones and bills; returns access tokens of the first 200. */
    private List<String> setUp(CenterLedger ledger, AppService app) throws Exception {
        PasswordHasher h = app.hasher();
        for (int i = 0; i < 40; i++) {
            long acc = 40_000_000L + i;
            ledger.accounts().open(acc, java.nio.ByteBuffer.allocate(8).putLong(acc).array(), 1, "pw" + i, 0, 0, "", 0);
            long u = app.users().enrolStudent(acc, "pw" + i);
            app.users().setPassword(u, h.hash("bench-pass-" + i));
        }
        String hash = h.hash("not used");
        try (Connection c = ledger.database().connection()) {
            try (PreparedStatement acc = c.prepareStatement("""
                    INSERT INTO accounts(account_id, holder_name, status, subsidy_fen, cash_fen, version)
                    VALUES (?, ?, 1, 0, 100000, 0)""");
                 PreparedStatement user = c.prepareStatement("""
                    INSERT INTO app_users(login_name, account_id, role, password_hash, phone, created_ms)
                    VALUES (?, ?, 'student', ?, ?, 0)""");
                 PreparedStatement mov = c.prepareStatement("""
                    INSERT INTO movements(account_id, kind, subsidy_fen, cash_fen, channel, time_ms)
                    VALUES (?, 'TOP_UP', 0, ?, 'wechat', ?)""")) {
                for (int i = 0; i < students; i++) {
                    long id = 30_000_000L + i;
                    acc.setLong(1, id);
                    acc.setString(2, "bench " + i);
                    acc.addBatch();
                    user.setString(1, "b" + i);
                    user.setLong(2, id);
                    user.setString(3, hash);
                    user.setString(4, phoneOf(i));
                    user.addBatch();
                    if (i < 200) {
                        for (int k = 0; k < 60; k++) {
                            mov.setLong(1, id);
                            mov.setLong(2, 100 + k);
                            mov.setLong(3, 1_700_000_000_000L + k * 60_000L);
                            mov.addBatch();
                        }
                    }
                }
                acc.executeBatch();
                user.executeBatch();
                mov.executeBatch();
            }
            c.commit();
        }
        List<String> tokens = new ArrayList<>();
        String base = "http://127.0.0.1:" + app.port();
        for (int i = 0; i < 200; i++) {
            String p = phoneOf(students - 1 - i); // the login figure uses phones from 0 up: no code sent twice a minute
            post(base + "/api/v1/auth/sms-code", null, "{\"phone\":\"" + p + "\"}");
            tokens.add(post(base + "/api/v1/auth/phone-login", null, "{\"phone\":\"" + p + "\",\"code\":\""
                    + inbox.code(p) + "\",\"device_id\":\"bench-setup-" + i + "\"}").path("access_token").asText());
        }
        return tokens;
    }

    private static String phoneOf(int i) {
        return "138" + String.format("%08d", i);
    }

    /** Issues {@code rate} calls per second for {@code length}; latency of each from its due time, ms. */
    private double[] open(Call call) throws InterruptedException {
        int total = (int) (rate * length.toSeconds());
        double[] out = new double[total];
        AtomicInteger failed = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> first = new java.util.concurrent.atomic.AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(48);
        long start = System.nanoTime() + 20_000_000;
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            int n = i;
            long due = start + n * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            pool.execute(() -> {
                try {
                    call.run(n);
                } catch (Exception e) {
                    failed.incrementAndGet();
                    first.compareAndSet(null, e.toString());
                }
                out[n] = (System.nanoTime() - due) / 1e6;
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("requests still running after 5 min");
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + total + " requests failed, the first: " + first.get());
        }
        return out;
    }

    @FunctionalInterface
    private interface Call {
        void run(int i) throws Exception;
    }

    private JsonNode get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        return send(token == null ? b : b.header("Authorization", "Bearer " + token));
    }

    private JsonNode post(String url, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return send(token == null ? b : b.header("Authorization", "Bearer " + token));
    }

    private JsonNode send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + r.statusCode() + ": " + new String(r.body()));
        }
        JsonNode n = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                && r.body().length > 0 ? json.readTree(r.body()) : json.createObjectNode();
        return ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("http_status", r.statusCode());
    }

}
