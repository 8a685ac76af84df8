package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.ledger.Accounts;
import com.onecard.pos.center.ledger.Messages;
import com.onecard.pos.center.ledger.Movement;
import com.onecard.pos.sync.proto.AccountStatus;

import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** Top-up, balance, bills, loss and found cards, messages: the app's account pages. */
final class AccountEndpoints {
    static final long MAX_TOP_UP_YUAN = 1000;
    static final int MAX_PASSWORD_FAILURES = com.onecard.pos.center.ledger.CardPasswordTries.MAX_FAILURES;
    private static final Set<String> CHANNELS = Set.of("wechat", "alipay");
    private static final int MAX_PAGE_SIZE = 100;

    private final Accounts accounts;
    private final Messages messages;
    private final ObjectMapper json;
    private final Clock clock;

    AccountEndpoints(Accounts accounts, Messages messages, ObjectMapper json, Clock clock) {
        this.accounts = accounts;
        this.messages = messages;
        this.json = json;
        this.clock = clock;
    }

    /** Whole yuan 1..1000 by WeChat Pay or Alipay, as the campus app's manual says. */
    JsonNode topUp(long accountId, JsonNode body) {
        require(accountId);
        long yuan = Fields.whole(body, "yuan");
        if (yuan < 1 || yuan > MAX_TOP_UP_YUAN) {
            throw ApiError.badField("yuan", "must be from 1 to " + MAX_TOP_UP_YUAN + " whole yuan, got " + yuan);
        }
        String channel = Fields.text(body, "channel");
        if (!CHANNELS.contains(channel)) {
            throw ApiError.badField("channel", "must be wechat or alipay, got '" + channel + "'");
        }
        accounts.topUp(accountId, yuan * 100, channel);
        ObjectNode out = balance(accountId);
        out.put("topped_up_fen", yuan * 100).put("channel", channel);
        return out;
    }

    ObjectNode balance(long accountId) {
        Accounts.AccountInfo a = require(accountId);
        long total = a.subsidyFen() + a.cashFen();
        return json.createObjectNode().put("account_id", accountId).put("holder_name", a.holderName())
                .put("status", a.status().name())
                .put("subsidy_fen", a.subsidyFen()).put("subsidy_yuan", Yuan.of(a.subsidyFen()))
                .put("cash_fen", a.cashFen()).put("cash_yuan", Yuan.of(a.cashFen()))
                .put("total_fen", total).put("yuan", Yuan.of(total));
    }

    JsonNode bills(long accountId, Map<String, String> query) {
        require(accountId);
        int page = intParam(query, "page", 1, 1, Integer.MAX_VALUE / MAX_PAGE_SIZE);
        int size = intParam(query, "size", 20, 1, MAX_PAGE_SIZE);
        List<Movement> rows = accounts.bills(accountId, (page - 1) * size, size);
        ObjectNode out = json.createObjectNode().put("account_id", accountId).put("page", page).put("size", size)
                .put("total", accounts.billCount(accountId));
        ArrayNode items = out.putArray("items");
        for (Movement m : rows) {
            long fen = m.subsidyFen() + m.cashFen();
            items.addObject().put("kind", m.kind()).put("amount_fen", fen).put("yuan", Yuan.of(fen))
                    .put("subsidy_fen", m.subsidyFen()).put("cash_fen", m.cashFen())
                    .put("terminal_id", m.terminalId()).put("channel", m.channel())
                    .put("time_ms", m.timeMs()).put("time", Instant.ofEpochMilli(m.timeMs()).toString());
        }
        return out;
    }

    /** 挂失: the card password is required; five wrong ones lock the account's password. */
    JsonNode reportLoss(long accountId, JsonNode body) {
        Accounts.AccountInfo a = checkPassword(accountId, body);
        if (a.status() == AccountStatus.LOST) {
            throw new ApiError(409, "ALREADY_LOST", "account " + accountId + " is already reported lost");
        }
        if (a.status() != AccountStatus.ACTIVE) {
            throw new ApiError(409, "ACCOUNT_NOT_ACTIVE", "account " + accountId + " is " + a.status());
        }
        accounts.setStatus(accountId, AccountStatus.LOST);
        messages.addMessage(accountId, "your card was reported lost at " + clock.instant()
                + "; it is refused at every terminal until you cancel the loss");
        return balance(accountId);
    }

    JsonNode cancelLoss(long accountId, JsonNode body) {
        Accounts.AccountInfo a = checkPassword(accountId, body);
        if (a.status() != AccountStatus.LOST) {
            throw new ApiError(409, "NOT_LOST", "account " + accountId + " is " + a.status() + ", not lost");
        }
        accounts.setStatus(accountId, AccountStatus.ACTIVE);
        messages.addMessage(accountId, "the loss of your card was cancelled at " + clock.instant());
        return balance(accountId);
    }

    /** 拾卡登记: the finder is not told whose card it is; the owner gets a message. */
    JsonNode foundCard(JsonNode body) {
        String uidText = Fields.text(body, "card_uid");
        byte[] uid;
        try {
            uid = HexFormat.of().parseHex(uidText);
        } catch (IllegalArgumentException e) {
            throw ApiError.badField("card_uid", "must be hex digits, got '" + uidText + "'");
        }
        if (uid.length < 4 || uid.length > 10) {
            throw ApiError.badField("card_uid", "must be 4 to 10 bytes, got " + uid.length);
        }
        String finder = Fields.text(body, "finder");
        String place = Fields.text(body, "place");
        OptionalLong owner = messages.registerFoundCard(uid, finder, place);
        if (owner.isEmpty()) {
            throw new ApiError(404, "UNKNOWN_CARD", "card " + uidText + " not found");
        }
        return json.createObjectNode().put("registered", true).put("card_uid", uidText)
                .put("message", "the owner has been told");
    }

    JsonNode messages(long accountId) {
        require(accountId);
        ObjectNode out = json.createObjectNode().put("account_id", accountId);
        ArrayNode items = out.putArray("items");
        for (Messages.Message m : messages.messagesNewestFirst(accountId)) {
            items.addObject().put("id", m.id()).put("text", m.text()).put("time_ms", m.timeMs())
                    .put("time", Instant.ofEpochMilli(m.timeMs()).toString());
        }
        return out;
    }

    private Accounts.AccountInfo checkPassword(long accountId, JsonNode body) {
        Accounts.AccountInfo a = require(accountId);
        String password = Fields.text(body, "password");
        if (a.passwordFailures() >= MAX_PASSWORD_FAILURES) {
            throw locked(accountId);
        }
        if (!CardPassword.matches(a.pinVerifier(), a.nationalId(), password)) {
            int failures = accounts.recordPasswordFailure(accountId);
            if (failures >= MAX_PASSWORD_FAILURES) {
                throw locked(accountId);
            }
            throw new ApiError(403, "WRONG_PASSWORD", "wrong card password for account " + accountId + "; "
                    + (MAX_PASSWORD_FAILURES - failures) + " attempts left");
        }
        if (a.passwordFailures() > 0) {
            accounts.resetPasswordFailures(accountId);
        }
        return a;
    }

    private static ApiError locked(long accountId) {
        return new ApiError(403, "LOCKED", "card password of account " + accountId + " is locked after "
                + MAX_PASSWORD_FAILURES + " wrong attempts; ask the card center");
    }

    private Accounts.AccountInfo require(long accountId) {
        return accounts.account(accountId).orElseThrow(() -> ApiError.notFound("account " + accountId));
    }

    private static int intParam(Map<String, String> query, String name, int dflt, int min, int max) {
        String v = query.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below with the value named
        }
        throw ApiError.badField(name, "must be a whole number from " + min + " to " + max + ", got '" + v + "'");
    }
}
