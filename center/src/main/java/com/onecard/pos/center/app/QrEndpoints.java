package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.app.error.Refusal;
import com.onecard.pos.center.identity.CardPasswords;
import com.onecard.pos.center.ledger.QrPayments;
import com.onecard.pos.center.ledger.QrPayments.PayResult;

import java.util.List;

/**
 * 扫一扫: the student's phone reads the terminal's payment code and pays it from the logged-in
 * student's own account, never another's. The amount charged is the one under the terminal's
 * MAC, checked by the center; above {@code passwordAboveFen} the card password is asked for
 * and counted like every other password check.
 */
final class QrEndpoints {
    private final QrPayments qr;
    private final CardPasswords cardPasswords;
    private final long passwordAboveFen;
    private final java.time.Clock clock;

    QrEndpoints(QrPayments qr, CardPasswords cardPasswords, long passwordAboveFen, java.time.Clock clock) {
        this.qr = qr;
        this.cardPasswords = cardPasswords;
        this.passwordAboveFen = passwordAboveFen;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                new Route("POST", "/api/v1/qr/parse", Access.STUDENT, this::parse),
                new Route("POST", "/api/v1/qr/pay", Access.STUDENT, this::pay));
    }

    private JsonNode pay(Call c) {
        JsonNode b = c.body();
        long me = c.accountId();
        if (b.has("account_id") && !(b.get("account_id").canConvertToLong() && b.get("account_id").asLong() == me)) {
            throw AppError.NOT_YOUR_ACCOUNT.with("a QR code is paid from the logged-in student's own account only");
        }
        String payload = Fields.text(b, "payload");
        String password = Fields.optionalText(b, "card_password");
        PayResult look = qr.inspect(payload);
        if (!look.ok()) {
            throw refusal(look);
        }
        if (password != null || look.amountFen() > passwordAboveFen) {
            if (password == null) {
                throw AppError.CARD_PASSWORD_REQUIRED.with("a payment above " + Yuan.of(passwordAboveFen)
                        + " yuan needs the card password").detail("amount_fen", look.amountFen());
            }
            cardPasswords.check(me, password);
        }
        PayResult r = qr.pay(payload, me, null);
        if (!r.ok()) {
            throw refusal(r);
        }
        return describe(c, r).put("status", "PAID").put("account_id", me)
                .put("subsidy_fen", r.subsidyFen()).put("cash_fen", r.cashFen())
                .put("balance_after_fen", r.balanceAfterFen()).put("balance_after_yuan", Yuan.of(r.balanceAfterFen()))
                .put("paid_at_ms", r.paidAtMs());
    }

    /** What the app shows before paying, with whether the card password will be asked for. */
    private JsonNode parse(Call c) {
        PayResult r = qr.inspect(Fields.text(c.body(), "payload"));
        if (!r.ok()) {
            throw refusal(r);
        }
        return describe(c, r).put("status", "PAYABLE").put("card_password_required", r.amountFen() > passwordAboveFen);
    }

    private ObjectNode describe(Call c, PayResult r) {
        ObjectNode n = c.json().createObjectNode().put("merchant_name", r.merchantName()).put("terminal_id", r.terminalId())
                .put("sale_id", r.saleId()).put("token", r.token())
                .put("amount_fen", r.amountFen()).put("amount_yuan", Yuan.of(r.amountFen()))
                .put("expires_at", r.expiry() == null ? null : r.expiry().toString())
                .put("expires_in_s", r.secondsLeft(clock.millis()));
        if (r.terminalClock() != null) {
            // the code's expiry is on the terminal's clock: how far behind the center's it is (negative: ahead)
            n.put("terminal_clock_behind_ms", r.terminalClock().offsetMs());
        }
        return n;
    }

    private static Refusal refusal(PayResult r) {
        AppError e = switch (r.reason()) {
            case BAD_FORMAT -> AppError.BAD_FORMAT;
            case BAD_CRC -> AppError.BAD_CRC;
            case BAD_MAC -> AppError.BAD_MAC;
            case EXPIRED -> AppError.EXPIRED;
            case REPLAYED -> AppError.REPLAYED;
            case CANCELLED -> AppError.CANCELLED;
            case UNKNOWN_TERMINAL -> AppError.UNKNOWN_TERMINAL;
            case UNKNOWN_ACCOUNT -> AppError.NOT_FOUND;
            case ACCOUNT_NOT_ACTIVE -> AppError.ACCOUNT_NOT_ACTIVE;
            case BAD_PASSWORD -> AppError.WRONG_CARD_PASSWORD;
            case INSUFFICIENT_FUNDS -> AppError.INSUFFICIENT_FUNDS;
            case OK -> AppError.INTERNAL;
        };
        return e.with("payment refused (" + r.reason() + "): " + r.detail());
    }
}
