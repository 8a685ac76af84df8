package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.identity.Sessions;
import com.onecard.pos.center.testing.AppFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The manual's login, phone changes and tokens, on a running service. */
class LoginIT {
    static final long ACC = 20260001;
    static final String SNO = "2026000101";
    static final String ID = "11010519900307123X";
    static final String PHONE = "13800138000";

    @TempDir
    Path dir;
    AppFixture f;

    @BeforeEach
    void start() {
        f = new AppFixture("login", dir);
        f.student(ACC, SNO, ID, 0, 5_000, new byte[] {1, 2, 3, 4});
        f.student(20260002, "2026000202", null, 0, 0, new byte[] {5, 6, 7, 8});
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static void refused(JsonNode r, int status, String code) {
        assertThat(r.path("http_status").asInt()).as(r.toString()).isEqualTo(status);
        assertThat(r.path("code").asText()).as(r.toString()).isEqualTo(code);
        assertThat(r.path("message_zh").asText()).isNotBlank();
    }

    @Test
    void aCardOfficeLoginNeedsItsPasswordAfterTheCode() {
        f.app.users().enrolAdmin("office1", f.app.hasher().hash("office-pass-1"), "13500135000");
        f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", "13500135000"));
        JsonNode codeOnly = f.client.post("/api/v1/auth/phone-login", null, f.client.obj().put("phone", "13500135000")
                .put("code", f.lastCode("13500135000")).put("device_id", "device-office"));
        assertThat(codeOnly.path("http_status").asInt()).as(codeOnly.toString()).isEqualTo(200);
        assertThat(codeOnly.path("logged_in").asBoolean()).isFalse();
        assertThat(codeOnly.has("access_token")).as(codeOnly.toString()).isFalse();
        assertThat(codeOnly.has("refresh_token")).isFalse();
        String ticket = codeOnly.path("phone_ticket").asText();
        assertThat(ticket).isNotBlank();
        // the ticket is not an access token
        assertThat(f.client.get("/api/v1/admin/audit", ticket).path("http_status").asInt()).isEqualTo(401);
        refused(f.client.post("/api/v1/auth/login", null, f.client.obj().put("student_number", "office1")
                .put("password", "wrong-pass-1").put("phone_ticket", ticket).put("device_id", "device-office")),
                401, "BAD_CREDENTIALS");
        JsonNode withPassword = f.client.post("/api/v1/auth/login", null, f.client.obj().put("student_number", "office1")
                .put("password", "office-pass-1").put("phone_ticket", ticket).put("device_id", "device-office"));
        assertThat(withPassword.path("http_status").asInt()).as(withPassword.toString()).isEqualTo(200);
        assertThat(f.client.get("/api/v1/admin/audit", withPassword.path("access_token").asText())
                .path("http_status").asInt()).isEqualTo(200);
    }

    @Test
    void anUnknownStudentNumberIsAnsweredLikeAWrongPassword() {
        f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", PHONE));
        String ticket = f.client.post("/api/v1/auth/phone-login", null, f.client.obj().put("phone", PHONE)
                .put("code", f.lastCode(PHONE)).put("device_id", "device-one")).path("phone_ticket").asText();
        for (int i = 0; i < 5; i++) {
            JsonNode known = f.client.post("/api/v1/auth/login", null, f.client.obj().put("student_number", SNO)
                    .put("password", "wrong-one").put("phone_ticket", ticket).put("device_id", "device-one"));
            JsonNode unknown = f.client.post("/api/v1/auth/login", null, f.client.obj().put("student_number", "2099000999")
                    .put("password", "wrong-one").put("phone_ticket", ticket).put("device_id", "device-one"));
            assertThat(unknown.toString().replace("2099000999", SNO)).as("try %d", i).isEqualTo(known.toString());
            if (i < 4) {
                refused(unknown, 401, "BAD_CREDENTIALS");
                assertThat(unknown.path("attempts_left").asInt()).isEqualTo(4 - i);
            }
        }
    }

    @Test
    void firstLoginBindsThePhoneAndTheInitialPasswordMustBeChangedBeforeAnythingElse() {
        JsonNode r = f.loginReply(PHONE, SNO, "07123X", "device-one");
        assertThat(r.path("http_status").asInt()).as(r.toString()).isEqualTo(200);
        assertThat(r.path("must_change_password").asBoolean()).isTrue();
        String token = r.path("access_token").asText();
        refused(f.client.get("/api/v1/me/balance", token), 403, "PASSWORD_CHANGE_REQUIRED");
        assertThat(f.client.get("/api/v1/me", token).path("must_change_password").asBoolean()).isTrue();
        refused(f.client.post("/api/v1/me/password", token, f.client.obj().put("current_password", "07123X")
                .put("new_password", "short1")), 400, "WEAK_PASSWORD");
        refused(f.client.post("/api/v1/me/password", token, f.client.obj().put("current_password", "07123X")
                .put("new_password", "071230")), 400, "WEAK_PASSWORD");
        assertThat(f.client.post("/api/v1/me/password", token, f.client.obj().put("current_password", "071230")
                .put("new_password", "canteen2026")).path("http_status").asInt()).isEqualTo(200);
        JsonNode b = f.client.get("/api/v1/me/balance", token);
        assertThat(b.path("total_fen").asLong()).isEqualTo(5_000);
        assertThat(f.app.users().byLogin(SNO).orElseThrow().phone()).isEqualTo(PHONE);

        f.clock.advance(Duration.ofMinutes(2));
        assertThat(f.loginReply("13800138001", SNO, "07123X", "device-two").path("code").asText())
                .as("the initial password works no longer").isEqualTo("BAD_CREDENTIALS");
    }

    @Test
    void withoutAnIdNumberOnFileTheInitialPasswordIs111111() {
        assertThat(f.loginReply("13900139000", "2026000202", "111111", "device-one").path("http_status").asInt())
                .isEqualTo(200);
    }

    @Test
    void aBoundNumberLogsInWithTheCodeAloneAndTheOldPhonesSessionEnds() {
        AppFixture.Phone first = f.firstLogin(PHONE, SNO, "071230", "canteen2026");
        f.clock.advance(Duration.ofMinutes(2));
        JsonNode second = f.loginReply(PHONE, SNO, "unused", "device-new-phone");
        assertThat(second.path("logged_in").asBoolean()).isTrue();
        assertThat(second.path("must_change_password").asBoolean()).isFalse();
        refused(f.client.get("/api/v1/me/balance", first.accessToken()), 401, "SESSION_ENDED");
        refused(f.client.post("/api/v1/auth/refresh", null, f.client.obj().put("refresh_token", first.refreshToken())
                .put("device_id", first.deviceId())), 401, "REFRESH_INVALID");
        assertThat(f.client.get("/api/v1/me/balance", second.path("access_token").asText()).path("http_status").asInt())
                .isEqualTo(200);
    }

    @Test
    void codesExpireAfterFiveMinutesAndWorkOnce() {
        f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", PHONE));
        String code = f.lastCode(PHONE);
        f.clock.advance(Duration.ofMinutes(5));
        refused(f.client.post("/api/v1/auth/phone-login", null, f.client.obj().put("phone", PHONE).put("code", code)
                .put("device_id", "device-one")), 401, "CODE_EXPIRED");
        f.clock.advance(Duration.ofMinutes(1));
        f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", PHONE));
        String fresh = f.lastCode(PHONE);
        JsonNode ok = f.client.post("/api/v1/auth/phone-login", null, f.client.obj().put("phone", PHONE)
                .put("code", fresh).put("device_id", "device-one"));
        assertThat(ok.path("http_status").asInt()).isEqualTo(200);
        refused(f.client.post("/api/v1/auth/phone-login", null, f.client.obj().put("phone", PHONE).put("code", fresh)
                .put("device_id", "device-one")), 401, "CODE_EXPIRED");
    }

    @Test
    void codesAreRateLimitedPerNumberAndPerClientAddress() {
        assertThat(f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", PHONE))
                .path("http_status").asInt()).isEqualTo(200);
        JsonNode soon = f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", PHONE));
        refused(soon, 429, "SMS_TOO_SOON");
        assertThat(soon.path("retry_after_s").asInt()).isBetween(1, 60);
        for (int i = 0; i < 4; i++) {
            f.clock.advance(Duration.ofSeconds(61));
            assertThat(f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", PHONE))
                    .path("http_status").asInt()).isEqualTo(200);
        }
        f.clock.advance(Duration.ofSeconds(61));
        refused(f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", PHONE)), 429, "SMS_RATE_LIMITED");
        for (int i = 0; i < 55; i++) {
            f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", "1370000" + String.format("%04d", i)));
        }
        JsonNode address = f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", "13699999999"));
        refused(address, 429, "SMS_RATE_LIMITED");
        assertThat(address.path("message").asText()).contains("client address");
        f.clock.advance(Duration.ofHours(1));
        assertThat(f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", PHONE))
                .path("http_status").asInt()).as("the limits expire").isEqualTo(200);
    }

    @Test
    void wrongCodesBackOffAndTheBackOffExpires() {
        f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", PHONE));
        String code = f.lastCode(PHONE);
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 4; i++) {
            JsonNode r = f.client.post("/api/v1/auth/phone-login", null, f.client.obj().put("phone", PHONE)
                    .put("code", wrong).put("device_id", "device-one"));
            refused(r, 401, "CODE_WRONG");
            assertThat(r.path("attempts_left").asInt()).isEqualTo(4 - i);
        }
        refused(f.client.post("/api/v1/auth/phone-login", null, f.client.obj().put("phone", PHONE).put("code", wrong)
                .put("device_id", "device-one")), 401, "CODE_WRONG");
        JsonNode locked = f.client.post("/api/v1/auth/phone-login", null, f.client.obj().put("phone", PHONE)
                .put("code", code).put("device_id", "device-one"));
        refused(locked, 429, "TOO_MANY_ATTEMPTS");
        f.clock.advance(Duration.ofMinutes(1));
        f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", PHONE));
        assertThat(f.client.post("/api/v1/auth/phone-login", null, f.client.obj().put("phone", PHONE)
                .put("code", f.lastCode(PHONE)).put("device_id", "device-one")).path("http_status").asInt())
                .as("after the back-off a new code works").isEqualTo(200);
    }

    @Test
    void twentyParallelWrongPasswordsGetFiveChecksAndTheBackOffExpires() throws Exception {
        f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", PHONE));
        String ticket = f.client.post("/api/v1/auth/phone-login", null, f.client.obj().put("phone", PHONE)
                .put("code", f.lastCode(PHONE)).put("device_id", "device-one")).path("phone_ticket").asText();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<JsonNode>> tries = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tries.add(() -> f.client.post("/api/v1/auth/login", null, f.client.obj().put("student_number", SNO)
                        .put("password", "wrong-one").put("phone_ticket", ticket).put("device_id", "device-one")));
            }
            int checked = 0;
            int backedOff = 0;
            for (Future<JsonNode> r : pool.invokeAll(tries)) {
                String code = r.get().path("code").asText();
                checked += code.equals("BAD_CREDENTIALS") ? 1 : 0;
                backedOff += code.equals("TOO_MANY_ATTEMPTS") ? 1 : 0;
            }
            assertThat(checked).isEqualTo(5);
            assertThat(backedOff).isEqualTo(15);
        } finally {
            pool.shutdownNow();
        }
        refused(f.client.post("/api/v1/auth/login", null, f.client.obj().put("student_number", SNO).put("password", "071230")
                .put("phone_ticket", ticket).put("device_id", "device-one")), 429, "TOO_MANY_ATTEMPTS");
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(f.client.post("/api/v1/auth/login", null, f.client.obj().put("student_number", SNO)
                .put("password", "071230").put("phone_ticket", ticket).put("device_id", "device-one"))
                .path("http_status").asInt()).as("the back-off expired").isEqualTo(200);
    }

    @Test
    void refreshRotatesIsBoundToTheDeviceAndAReusedTokenEndsTheSession() {
        AppFixture.Phone p = f.firstLogin(PHONE, SNO, "071230", "canteen2026");
        refused(f.client.post("/api/v1/auth/refresh", null, f.client.obj().put("refresh_token", p.refreshToken())
                .put("device_id", "another-device")), 401, "DEVICE_MISMATCH");
        f.clock.advance(Duration.ofMinutes(2));
        AppFixture.Phone q = f.firstLogin("13800138009", "2026000202", "111111", "dorm2026pw");
        JsonNode r1 = f.client.post("/api/v1/auth/refresh", null, f.client.obj().put("refresh_token", q.refreshToken())
                .put("device_id", q.deviceId()));
        assertThat(r1.path("http_status").asInt()).isEqualTo(200);
        assertThat(r1.path("refresh_token").asText()).isNotEqualTo(q.refreshToken());
        f.clock.advance(Sessions.REUSE_INTERVAL.plusSeconds(1));
        refused(f.client.post("/api/v1/auth/refresh", null, f.client.obj().put("refresh_token", q.refreshToken())
                .put("device_id", q.deviceId())), 401, "REFRESH_REUSED");
        refused(f.client.get("/api/v1/me/balance", r1.path("access_token").asText()), 401, "SESSION_ENDED");
    }

    @Test
    void twoTabsRefreshingWithOneTokenGetTheSameSuccessorWithinTheReuseIntervalAndNotAfterIt() {
        AppFixture.Phone p = f.firstLogin(PHONE, SNO, "071230", "canteen2026");
        f.clock.advance(Duration.ofMinutes(11));
        JsonNode a = f.client.post("/api/v1/auth/refresh", null, f.client.obj().put("refresh_token", p.refreshToken())
                .put("device_id", p.deviceId()));
        assertThat(a.path("http_status").asInt()).as(a.toString()).isEqualTo(200);
        f.clock.advance(Duration.ofSeconds(3));
        JsonNode b = f.client.post("/api/v1/auth/refresh", null, f.client.obj().put("refresh_token", p.refreshToken())
                .put("device_id", p.deviceId()));
        assertThat(b.path("http_status").asInt()).as("the second tab, 3 s later: " + b).isEqualTo(200);
        assertThat(b.path("refresh_token").asText()).as("the same successor, whichever tab stores last")
                .isEqualTo(a.path("refresh_token").asText());
        assertThat(f.client.get("/api/v1/me/balance", b.path("access_token").asText()).path("http_status").asInt())
                .isEqualTo(200);
        refused(f.client.post("/api/v1/auth/refresh", null, f.client.obj().put("refresh_token", p.refreshToken())
                .put("device_id", "another-device")), 401, "REFRESH_REUSED");

        AppFixture.Phone q = f.firstLogin("13800138009", "2026000202", "111111", "dorm2026pw");
        JsonNode q1 = f.client.post("/api/v1/auth/refresh", null, f.client.obj().put("refresh_token", q.refreshToken())
                .put("device_id", q.deviceId()));
        JsonNode q2 = f.client.post("/api/v1/auth/refresh", null, f.client.obj().put("refresh_token",
                q1.path("refresh_token").asText()).put("device_id", q.deviceId()));
        assertThat(q2.path("http_status").asInt()).isEqualTo(200);
        assertThat(q2.path("refresh_token").asText()).as("each rotation a new token")
                .isNotEqualTo(q1.path("refresh_token").asText()).isNotEqualTo(q.refreshToken());
        f.clock.advance(Sessions.REUSE_INTERVAL.plusSeconds(1));
        refused(f.client.post("/api/v1/auth/refresh", null, f.client.obj().put("refresh_token",
                q1.path("refresh_token").asText()).put("device_id", q.deviceId())), 401, "REFRESH_REUSED");
        refused(f.client.get("/api/v1/me/balance", q2.path("access_token").asText()), 401, "SESSION_ENDED");
    }

    @Test
    void accessTokensExpireAndLogoutEndsTheSession() {
        AppFixture.Phone p = f.firstLogin(PHONE, SNO, "071230", "canteen2026");
        f.clock.advance(Duration.ofMinutes(11));
        refused(f.client.get("/api/v1/me/balance", p.accessToken()), 401, "TOKEN_EXPIRED");
        JsonNode r = f.client.post("/api/v1/auth/refresh", null, f.client.obj().put("refresh_token", p.refreshToken())
                .put("device_id", p.deviceId()));
        String token = r.path("access_token").asText();
        assertThat(f.client.get("/api/v1/me/balance", token).path("http_status").asInt()).isEqualTo(200);
        assertThat(f.client.post("/api/v1/auth/logout", token, f.client.obj()).path("http_status").asInt()).isEqualTo(200);
        refused(f.client.get("/api/v1/me/balance", token), 401, "SESSION_ENDED");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
        refused(f.client.get("/api/v1/me/balance", forged), 401, "TOKEN_INVALID");
    }

    @Test
    void aNewNumberNeedsACodeToTheOldOneAndTheCardOfficeCanDoItAudited() {
        AppFixture.Phone p = f.firstLogin(PHONE, SNO, "071230", "canteen2026");
        f.clock.advance(Duration.ofMinutes(2));
        JsonNode elsewhere = f.loginReply("13700137000", SNO, "canteen2026", "device-thief");
        refused(elsewhere, 409, "PHONE_CHANGE_REQUIRED");

        f.clock.advance(Duration.ofMinutes(2));
        assertThat(f.client.post("/api/v1/me/phone/old-code", p.accessToken(), f.client.obj()).path("http_status").asInt())
                .isEqualTo(200);
        String oldCode = f.lastCode(PHONE);
        f.client.post("/api/v1/me/phone/new-code", p.accessToken(), f.client.obj().put("phone", "13600136000"));
        String newCode = f.lastCode("13600136000");
        refused(f.client.post("/api/v1/me/phone", p.accessToken(), f.client.obj().put("phone", "13600136000")
                .put("old_code", newCode).put("new_code", newCode)), 401, "CODE_WRONG");
        assertThat(f.client.post("/api/v1/me/phone", p.accessToken(), f.client.obj().put("phone", "13600136000")
                .put("old_code", oldCode).put("new_code", newCode)).path("http_status").asInt()).isEqualTo(200);
        assertThat(f.app.users().byLogin(SNO).orElseThrow().phone()).isEqualTo("13600136000");

        long admin = f.app.users().enrolAdmin("office1", f.app.hasher().hash("office-pass-1"), "13500135000");
        assertThat(admin).isPositive();
        f.clock.advance(Duration.ofMinutes(2));
        JsonNode a = f.loginReply("13500135000", "office1", "office-pass-1", "device-office");
        String adminToken = a.path("access_token").asText();
        refused(f.client.post("/api/v1/admin/users/" + SNO + "/phone", p.accessToken(), f.client.obj()
                .put("phone", "13400134000").put("reason", "lost phone")), 403, "ADMIN_ONLY");
        assertThat(f.client.post("/api/v1/admin/users/" + SNO + "/phone", adminToken, f.client.obj()
                .put("phone", "13400134000").put("reason", "lost phone, ID card shown")).path("http_status").asInt())
                .isEqualTo(200);
        refused(f.client.get("/api/v1/me/balance", p.accessToken()), 401, "SESSION_ENDED");
        JsonNode audit = f.client.get("/api/v1/admin/audit", adminToken);
        assertThat(audit.path("items").toString()).contains("PHONE_CHANGED").contains("office1").contains("ID card shown");
    }
}
