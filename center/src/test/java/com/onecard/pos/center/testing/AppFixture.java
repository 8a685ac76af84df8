package com.onecard.pos.center.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.app.AppService;
import com.onecard.pos.center.app.AppServiceConfig;
import com.onecard.pos.center.identity.FileSmsSink;
import com.onecard.pos.center.identity.PasswordHasher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The app's service on a fresh PostgreSQL database and a loopback port, with a movable clock,
 * the file SMS sink and a cheap Argon2id cost (the real cost is for production and the
 * benchmarks); and the real login flow as a student's phone runs it.
 */
public final class AppFixture implements AutoCloseable {
    public static final Instant NOW = Instant.parse("2026-09-01T04:00:00Z");
    public static final PasswordHasher.Cost TEST_COST = new PasswordHasher.Cost(256, 1, 1);

    public final MovableClock clock = new MovableClock(NOW);
    public final CenterLedger ledger;
    public final AppService app;
    public final AppClient client;
    public final Path smsFile;

    /** A logged-in phone: its tokens and device. */
    public record Phone(String accessToken, String refreshToken, String deviceId, String phone) {
    }

    public AppFixture(String dbHint, Path dir, UnaryOperator<AppServiceConfig> tweak) {
        ledger = CenterLedger.open(TestPostgres.freshDatabase(dbHint), clock).startFeed();
        smsFile = dir.resolve("sms.log");
        try {
            AppServiceConfig cfg = AppServiceConfig.defaults().withTokenSecret(new byte[32])
                    .withSms(new FileSmsSink(smsFile, clock)).withPasswordCost(TEST_COST);
            app = AppService.start(ledger, tweak.apply(cfg), "127.0.0.1", 0, clock);
        } catch (IOException e) {
            ledger.close();
            throw new UncheckedIOException(e);
        }
        client = new AppClient(app.port());
    }

    public AppFixture(String dbHint, Path dir) {
        this(dbHint, dir, c -> c);
    }

    /** Opens a card account with a national ID and enrols its holder under {@code studentNumber}. */
    public void student(long accountId, String studentNumber, String nationalId, long subsidyFen, long cashFen,
                        byte[] uid) {
        ledger.accounts().open(accountId, uid, 1, "student " + studentNumber, subsidyFen, cashFen, "", 0);
        if (nationalId != null) {
            ledger.accounts().setNationalId(accountId, nationalId);
        }
        app.users().enrolStudent(accountId, studentNumber);
    }

    /** The newest code the sink holds for {@code phone}. */
    public String lastCode(String phone) {
        try {
            List<String> lines = Files.readAllLines(smsFile, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String[] f = lines.get(i).split("\t", 3);
                if (f.length == 3 && f[1].equals(phone)) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{6})").matcher(f[2]);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no code for " + phone + " in " + smsFile);
    }

    /** Phone and code, then the identity login with {@code password}; returns the phone-login reply when it logs in directly. */
    public JsonNode loginReply(String phone, String studentNumber, String password, String deviceId) {
        JsonNode sent = client.post("/api/v1/auth/sms-code", null, client.obj().put("phone", phone));
        if (sent.path("http_status").asInt() != 200) {
            return sent;
        }
        JsonNode step = client.post("/api/v1/auth/phone-login", null, client.obj().put("phone", phone)
                .put("code", lastCode(phone)).put("device_id", deviceId));
        if (step.path("http_status").asInt() != 200 || step.path("logged_in").asBoolean()) {
            return step;
        }
        return client.post("/api/v1/auth/login", null, client.obj().put("student_number", studentNumber)
                .put("password", password).put("phone_ticket", step.path("phone_ticket").asText())
                .put("device_id", deviceId));
    }

    /** The whole first login: code, initial password, the forced change to {@code newPassword}. */
    public Phone firstLogin(String phone, String studentNumber, String initialPassword, String newPassword) {
        String device = "dev-" + UUID.randomUUID();
        JsonNode r = loginReply(phone, studentNumber, initialPassword, device);
        if (r.path("http_status").asInt() != 200) {
            throw new AssertionError("login of " + studentNumber + " refused: " + r);
        }
        String token = r.path("access_token").asText();
        JsonNode ch = client.post("/api/v1/me/password", token, client.obj().put("current_password", initialPassword)
                .put("new_password", newPassword));
        if (ch.path("http_status").asInt() != 200) {
            throw new AssertionError("password change of " + studentNumber + " refused: " + ch);
        }
        return new Phone(token, r.path("refresh_token").asText(), device, phone);
    }

    @Override
    public void close() {
        app.close();
        ledger.close();
    }
}
