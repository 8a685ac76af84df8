package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.app.error.Refusal;
import com.onecard.pos.center.identity.AppUsers;
import com.onecard.pos.center.identity.Audit;
import com.onecard.pos.center.identity.CardPasswords;
import com.onecard.pos.center.identity.Logins;
import com.onecard.pos.center.photo.Photos;
import com.onecard.pos.center.topup.PaymentProvider;
import com.onecard.pos.center.topup.ProviderException;
import com.onecard.pos.center.topup.Reconciliation;
import com.onecard.pos.center.topup.TopUps;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The card office (role admin): photo review, notices, number changes, unlocks, revokes, reconciliation, audit. */
final class AdminEndpoints {
    private final Photos photos;
    private final Logins logins;
    private final AppUsers users;
    private final CardPasswords cardPasswords;
    private final TopUps topUps;
    private final Reconciliation reconciliation;
    private final Audit audit;
    private final com.onecard.pos.center.notice.Notices notices;

    AdminEndpoints(Photos photos, Logins logins, AppUsers users, CardPasswords cardPasswords,
                   TopUps topUps, Reconciliation reconciliation, Audit audit, com.onecard.pos.center.notice.Notices notices) {
        this.photos = photos;
        this.logins = logins;
        this.users = users;
        this.cardPasswords = cardPasswords;
        this.topUps = topUps;
        this.reconciliation = reconciliation;
        this.audit = audit;
        this.notices = notices;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/admin/photos", Access.ADMIN, this::pendingPhotos),
                new Route("GET", "/api/v1/admin/photos/{photo_id}/jpeg", Access.ADMIN, this::photoJpeg),
                new Route("POST", "/api/v1/admin/photos/{photo_id}/review", Access.ADMIN, this::review),
                new Route("POST", "/api/v1/admin/notices", Access.ADMIN, this::notice),
                new Route("POST", "/api/v1/admin/users/{login_name}/phone", Access.ADMIN, this::changePhone),
                new Route("POST", "/api/v1/admin/users/{login_name}/unlock", Access.ADMIN, this::unlock),
                new Route("POST", "/api/v1/admin/users/{login_name}/revoke", Access.ADMIN, this::revoke),
                new Route("GET", "/api/v1/admin/reconciliations", Access.ADMIN, this::reconciliations),
                new Route("POST", "/api/v1/admin/reconciliations", Access.ADMIN, this::reconcile),
                new Route("GET", "/api/v1/admin/audit", Access.ADMIN, this::audit));
    }

    private String admin(Call c) {
        return users.byId(c.caller().userId()).map(AppUsers.User::loginName).orElse("admin#" + c.caller().userId());
    }

    private JsonNode pendingPhotos(Call c) {
        ObjectNode out = c.json().createObjectNode();
        ArrayNode items = out.putArray("items");
        for (Photos.Photo p : photos.pending(c.queryInt("limit", 50, 1, 500))) {
            items.add(PhotoEndpoints.describe(c, p).put("account_id", p.accountId()));
        }
        return out;
    }

    private Reply photoJpeg(Call c) {
        long id = c.pathLong("photo_id");
        return new Reply(200, "image/jpeg",
                photos.jpeg(id).orElseThrow(() -> AppError.NOT_FOUND.with("photo " + id + " not found")));
    }

    private JsonNode review(Call c) {
        JsonNode b = c.body();
        long id = c.pathLong("photo_id");
        boolean approve = Fields.bool(b, "approve");
        String reason = Fields.optionalText(b, "reason");
        Photos.Photo p = photos.review(id, approve, reason, admin(c));
        audit.record(admin(c), approve ? "PHOTO_APPROVED" : "PHOTO_REJECTED", "account " + p.accountId(),
                "photo " + id + (reason == null ? "" : "; " + reason));
        return PhotoEndpoints.describe(c, p).put("account_id", p.accountId());
    }

    private JsonNode notice(Call c) {
        JsonNode b = c.body();
        String text = Fields.text(b, "text");
        Long account = b.has("account_id") && !b.get("account_id").isNull() ? Fields.whole(b, "account_id") : null;
        int n = notices.send(account, "一卡通中心通知 Card office notice: " + text);
        audit.record(admin(c), "NOTICE_SENT", account == null ? "every account" : "account " + account,
                text.length() > 200 ? text.substring(0, 200) : text);
        return c.json().createObjectNode().put("sent", n);
    }

    private JsonNode changePhone(Call c) {
        JsonNode b = c.body();
        String phone = Fields.phone(b, "phone");
        logins.adminChangePhone(admin(c), c.path("login_name"), phone, Fields.text(b, "reason"));
        return c.json().createObjectNode().put("changed", true).put("phone", AuthEndpoints.mask(phone));
    }

    private JsonNode unlock(Call c) {
        String who = c.path("login_name");
        String reason = Fields.text(c.body(), "reason");
        logins.adminUnlockLogin(admin(c), who);
        users.byLogin(who).map(AppUsers.User::accountId).ifPresent(acc -> {
            if (acc != null) {
                cardPasswords.unlock(acc);
            }
        });
        audit.record(admin(c), "CARD_PASSWORD_UNLOCKED", who, reason);
        return c.json().createObjectNode().put("unlocked", true);
    }

    private JsonNode revoke(Call c) {
        int n = logins.adminRevoke(admin(c), c.path("login_name"), Fields.text(c.body(), "reason"));
        return c.json().createObjectNode().put("sessions_ended", n);
    }

    private JsonNode reconciliations(Call c) {
        ObjectNode out = c.json().createObjectNode();
        ArrayNode items = out.putArray("items");
        for (Reconciliation.Run r : reconciliation.newest(c.queryInt("limit", 20, 1, 200))) {
            items.add(run(c, r));
        }
        return out;
    }

    private JsonNode reconcile(Call c) {
        JsonNode b = c.body();
        String channel = Fields.text(b, "channel");
        PaymentProvider p = topUps.provider(channel)
                .orElseThrow(() -> AppError.CHANNEL_UNAVAILABLE.with(channel + " is not configured"));
        String dayText = Fields.optionalText(b, "day");
        LocalDate day;
        try {
            day = dayText == null ? reconciliation.today() : LocalDate.parse(dayText);
        } catch (DateTimeParseException e) {
            throw Refusal.badField("day", "must be YYYY-MM-DD, got '" + dayText + "'");
        }
        try {
            Reconciliation.Run r = reconciliation.run(p, day);
            audit.record(admin(c), "RECONCILED", channel + " " + day, r.differences().size() + " differences");
            return run(c, r);
        } catch (ProviderException e) {
            throw AppError.PROVIDER_FAILED.with("the statement of " + day + " could not be had: " + e.getMessage());
        }
    }

    private static ObjectNode run(Call c, Reconciliation.Run r) {
        ObjectNode n = c.json().createObjectNode().put("run_id", r.runId()).put("channel", r.channel())
                .put("day", r.day().toString()).put("statement_lines", r.statementLines())
                .put("statement_fen", r.statementFen()).put("ledger_orders", r.ledgerOrders())
                .put("ledger_fen", r.ledgerFen()).put("clean", r.clean());
        ArrayNode d = n.putArray("differences");
        for (Reconciliation.Difference x : r.differences()) {
            ObjectNode i = d.addObject().put("out_trade_no", x.outTradeNo()).put("kind", x.kind().name())
                    .put("detail", x.detail());
            if (x.statementFen() != null) {
                i.put("statement_fen", x.statementFen());
            }
            if (x.ledgerFen() != null) {
                i.put("ledger_fen", x.ledgerFen());
            }
        }
        return n;
    }

    private JsonNode audit(Call c) {
        ObjectNode out = c.json().createObjectNode();
        ArrayNode items = out.putArray("items");
        for (Audit.Entry e : audit.newest(c.queryInt("limit", 100, 1, 1000))) {
            items.addObject().put("id", e.id()).put("time", Instant.ofEpochMilli(e.timeMs()).toString())
                    .put("actor", e.actor()).put("action", e.action()).put("target", e.target()).put("detail", e.detail());
        }
        return out;
    }
}
