package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.identity.AppUsers;
import com.onecard.pos.center.identity.Logins;

import java.util.List;

/** Login (phone and code, then the unified identity), refresh, logout, password and number changes. */
final class AuthEndpoints {
    private final Logins logins;
    private final AppUsers users;

    AuthEndpoints(Logins logins, AppUsers users) {
        this.logins = logins;
        this.users = users;
    }

    List<Route> routes() {
        return List.of(
                new Route("POST", "/api/v1/auth/sms-code", Access.PUBLIC, this::smsCode),
                new Route("POST", "/api/v1/auth/phone-login", Access.PUBLIC, this::phoneLogin),
                new Route("POST", "/api/v1/auth/login", Access.PUBLIC, this::login),
                new Route("POST", "/api/v1/auth/refresh", Access.PUBLIC, this::refresh),
                new Route("POST", "/api/v1/auth/logout", Access.LOGGED_IN, this::logout),
                new Route("GET", "/api/v1/me", Access.LOGGED_IN, this::me),
                new Route("POST", "/api/v1/me/password", Access.LOGGED_IN, this::changePassword),
                new Route("POST", "/api/v1/me/phone/old-code", Access.STUDENT, this::oldNumberCode),
                new Route("POST", "/api/v1/me/phone/new-code", Access.STUDENT, this::newNumberCode),
                new Route("POST", "/api/v1/me/phone", Access.STUDENT, this::changePhone));
    }

    private JsonNode smsCode(Call c) {
        logins.sendLoginCode(Fields.phone(c.body(), "phone"), c.clientAddress());
        return c.json().createObjectNode().put("sent", true);
    }

    private JsonNode phoneLogin(Call c) {
        JsonNode b = c.body();
        Logins.PhoneStep step = logins.loginWithCode(Fields.phone(b, "phone"), Fields.text(b, "code"), Fields.deviceId(b));
        if (step.tokens() != null) {
            return tokens(c, step.tokens()).put("logged_in", true);
        }
        return c.json().createObjectNode().put("logged_in", false).put("phone_ticket", step.phoneTicket());
    }

    private JsonNode login(Call c) {
        JsonNode b = c.body();
        return tokens(c, logins.loginWithPassword(Fields.text(b, "student_number"), Fields.text(b, "password"),
                Fields.text(b, "phone_ticket"), Fields.deviceId(b), c.clientAddress())).put("logged_in", true);
    }

    private JsonNode refresh(Call c) {
        JsonNode b = c.body();
        return tokens(c, logins.refresh(Fields.text(b, "refresh_token"), Fields.deviceId(b)));
    }

    private JsonNode logout(Call c) {
        logins.logout(c.caller());
        return c.json().createObjectNode().put("logged_out", true);
    }

    private JsonNode me(Call c) {
        AppUsers.User u = users.byId(c.caller().userId())
                .orElseThrow(() -> AppError.SESSION_ENDED.with("user " + c.caller().userId() + " is gone"));
        ObjectNode out = c.json().createObjectNode().put("login_name", u.loginName())
                .put("role", u.role().name().toLowerCase(java.util.Locale.ROOT))
                .put("must_change_password", u.initialPassword())
                .put("phone", u.phone() == null ? null : mask(u.phone()));
        if (u.accountId() != null) {
            out.put("account_id", u.accountId());
        }
        return out;
    }

    private JsonNode changePassword(Call c) {
        JsonNode b = c.body();
        logins.changePassword(c.caller(), Fields.text(b, "current_password"), Fields.text(b, "new_password"));
        return c.json().createObjectNode().put("changed", true);
    }

    private JsonNode oldNumberCode(Call c) {
        logins.sendOldNumberCode(c.caller(), c.clientAddress());
        return c.json().createObjectNode().put("sent", true);
    }

    private JsonNode newNumberCode(Call c) {
        logins.sendNewNumberCode(Fields.phone(c.body(), "phone"), c.clientAddress());
        return c.json().createObjectNode().put("sent", true);
    }

    private JsonNode changePhone(Call c) {
        JsonNode b = c.body();
        String phone = Fields.phone(b, "phone");
        logins.changePhone(c.caller(), phone, Fields.text(b, "old_code"), Fields.text(b, "new_code"));
        return c.json().createObjectNode().put("changed", true).put("phone", mask(phone));
    }

    private static ObjectNode tokens(Call c, Logins.Tokens t) {
        return c.json().createObjectNode().put("access_token", t.accessToken()).put("token_type", "Bearer")
                .put("expires_in", t.expiresInSeconds()).put("refresh_token", t.refreshToken())
                .put("must_change_password", t.mustChangePassword());
    }

    static String mask(String phone) {
        return phone.length() < 7 ? "****" : phone.substring(0, 3) + "****" + phone.substring(phone.length() - 4);
    }
}
