package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.app.error.Refusal;
import com.onecard.pos.center.bills.Bills;
import com.onecard.pos.center.identity.AttemptCounters;
import com.onecard.pos.center.identity.CardPasswords;
import com.onecard.pos.center.ledger.Accounts;
import com.onecard.pos.center.ledger.Messages;
import com.onecard.pos.sync.proto.AccountStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

/** The logged-in student's own card: balance, bills, messages, report loss and cancel it; found cards. */
final class CardEndpoints {
    private static final int MAX_PAGE_SIZE = 100;
    /**
     * Found-card reports a user may make: 10, then one hour of back-off (the count is forgotten an hour
     * after the last report). Every report counts, a known card as much as an unknown one: the limit
     * stops a finder's account from probing which UIDs are campus cards and from flooding an owner's
     * messages.
     */
    static final AttemptCounters.Policy FOUND_CARD_REPORTS =
            new AttemptCounters.Policy(10, Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));

    private final Accounts accounts;
    private final Messages messages;
    private final Bills bills;
    private final CardPasswords cardPasswords;
    private final AttemptCounters attempts;
    private final Clock clock;

    CardEndpoints(Accounts accounts, Messages messages, Bills bills, CardPasswords cardPasswords,
                  AttemptCounters attempts, Clock clock) {
        this.accounts = accounts;
        this.attempts = attempts;
        this.messages = messages;
        this.bills = bills;
        this.cardPasswords = cardPasswords;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/me/balance", Access.STUDENT, this::balance),
                new Route("GET", "/api/v1/me/bills", Access.STUDENT, this::bills),
                new Route("GET", "/api/v1/me/messages", Access.STUDENT, this::messages),
                new Route("POST", "/api/v1/me/loss", Access.STUDENT, this::reportLoss),
                new Route("POST", "/api/v1/me/unloss", Access.STUDENT, this::cancelLoss),
                new Route("POST", "/api/v1/found-cards", Access.USER, this::foundCard));
    }

    private JsonNode balance(Call c) {
        return balance(c, c.accountId());
    }

    static ObjectNode balance(Call c, Accounts accounts, long accountId) {
        Accounts.AccountInfo a = accounts.account(accountId)
                .orElseThrow(() -> AppError.NOT_FOUND.with("account " + accountId + " not found"));
        long total = a.subsidyFen() + a.cashFen();
        return c.json().createObjectNode().put("account_id", accountId).put("holder_name", a.holderName())
                .put("status", a.status().name())
                .put("subsidy_fen", a.subsidyFen()).put("subsidy_yuan", Yuan.of(a.subsidyFen()))
                .put("cash_fen", a.cashFen()).put("cash_yuan", Yuan.of(a.cashFen()))
                .put("total_fen", total).put("yuan", Yuan.of(total));
    }

    private ObjectNode balance(Call c, long accountId) {
        return balance(c, accounts, accountId);
    }

    private JsonNode bills(Call c) {
        int page = c.queryInt("page", 1, 1, Integer.MAX_VALUE / MAX_PAGE_SIZE);
        int size = c.queryInt("size", 20, 1, MAX_PAGE_SIZE);
        String m = c.query("month");
        YearMonth month = null;
        if (m != null) {
            try {
                month = YearMonth.parse(m);
            } catch (DateTimeParseException e) {
                throw Refusal.badField("month", "must be YYYY-MM, got '" + m + "'");
            }
        }
        Bills.Page p = bills.page(c.accountId(), month, (page - 1) * size, size);
        ObjectNode out = c.json().createObjectNode().put("account_id", c.accountId()).put("page", page).put("size", size)
                .put("total", p.total());
        if (month != null) {
            out.put("month", month.toString());
        }
        ArrayNode items = out.putArray("items");
        for (Bills.Bill b : p.items()) {
            ObjectNode i = items.addObject().put("kind", b.kind()).put("amount_fen", b.amountFen())
                    .put("yuan", Yuan.of(b.amountFen())).put("subsidy_fen", b.subsidyFen()).put("cash_fen", b.cashFen())
                    .put("time_ms", b.timeMs()).put("time", Instant.ofEpochMilli(b.timeMs()).toString());
            if (b.terminalId() != null) {
                i.put("terminal_id", b.terminalId()).put("seq", b.seq());
            }
            if (b.channel() != null) {
                int colon = b.channel().indexOf(':');
                i.put("channel", colon < 0 ? b.channel() : b.channel().substring(0, colon));
                if (colon >= 0 && b.kind().equals("TOP_UP")) {
                    i.put("out_trade_no", b.channel().substring(colon + 1));
                }
            }
        }
        return out;
    }

    private JsonNode messages(Call c) {
        ObjectNode out = c.json().createObjectNode().put("account_id", c.accountId());
        ArrayNode items = out.putArray("items");
        for (Messages.Message m : messages.messagesNewestFirst(c.accountId())) {
            items.addObject().put("id", m.id()).put("text", m.text()).put("time_ms", m.timeMs())
                    .put("time", Instant.ofEpochMilli(m.timeMs()).toString());
        }
        return out;
    }

    /** 挂失: the card password, counted with back-off like every password check. */
    private JsonNode reportLoss(Call c) {
        long id = c.accountId();
        cardPasswords.check(id, Fields.text(c.body(), "card_password"));
        AccountStatus s = accounts.status(id);
        if (s == AccountStatus.LOST) {
            throw AppError.ALREADY_LOST.with("account " + id + " is already reported lost");
        }
        if (s != AccountStatus.ACTIVE) {
            throw AppError.ACCOUNT_NOT_ACTIVE.with("account " + id + " is " + s);
        }
        accounts.setStatus(id, AccountStatus.LOST);
        messages.addMessage(id, "您的卡已于 " + clock.instant() + " 挂失，所有终端将拒绝此卡。Your card was reported lost at "
                + clock.instant() + "; it is refused at every terminal until you cancel the loss.");
        return balance(c, id);
    }

    private JsonNode cancelLoss(Call c) {
        long id = c.accountId();
        cardPasswords.check(id, Fields.text(c.body(), "card_password"));
        AccountStatus s = accounts.status(id);
        if (s != AccountStatus.LOST) {
            throw AppError.NOT_LOST.with("account " + id + " is " + s + ", not lost");
        }
        accounts.setStatus(id, AccountStatus.ACTIVE);
        messages.addMessage(id, "您的卡已于 " + clock.instant() + " 解挂。The loss of your card was cancelled at "
                + clock.instant() + ".");
        return balance(c, id);
    }

    /**
     * 拾卡登记: anyone logged in; the owner gets a message, the finder is not told whose card it is.
     * At most {@link #FOUND_CARD_REPORTS} per user, then TOO_MANY_ATTEMPTS with {@code retry_after_s}.
     */
    private JsonNode foundCard(Call c) {
        JsonNode b = c.body();
        String uidText = Fields.text(b, "card_uid");
        byte[] uid;
        try {
            uid = HexFormat.of().parseHex(uidText);
        } catch (IllegalArgumentException e) {
            throw Refusal.badField("card_uid", "must be hex digits, got '" + uidText + "'");
        }
        if (uid.length < 4 || uid.length > 10) {
            throw Refusal.badField("card_uid", "must be 4 to 10 bytes, got " + uid.length);
        }
        String place = Fields.text(b, "place");
        String contact = Fields.optionalText(b, "contact");
        attempts.reserve("found-card", Long.toString(c.caller().userId()), FOUND_CARD_REPORTS, "found-card reports");
        OptionalLong owner = messages.registerFoundCard(uid, contact == null ? "a student (campus app)" : contact, place);
        if (owner.isEmpty()) {
            throw AppError.UNKNOWN_CARD.with("card " + uidText + " is not a campus card");
        }
        return c.json().createObjectNode().put("registered", true).put("card_uid", uidText)
                .put("message", "失主已收到通知。The owner has been told.");
    }
}
