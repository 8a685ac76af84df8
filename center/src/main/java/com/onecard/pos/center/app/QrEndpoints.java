package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.ledger.QrPayments;
import com.onecard.pos.center.ledger.QrPayments.PayResult;

/**
 * Scan-to-pay from the app. The app sends only the scanned payload and who pays: the amount
 * charged is the one under the terminal's MAC, checked by the center, never one the app sends.
 */
final class QrEndpoints {
    private final QrPayments qr;
    private final ObjectMapper json;
    private final java.time.Clock clock;

    QrEndpoints(QrPayments qr, ObjectMapper json, java.time.Clock clock) {
        this.qr = qr;
        this.json = json;
        this.clock = clock;
    }

    JsonNode pay(JsonNode body) {
        long accountId = Fields.whole(body, "account_id");
        String payload = Fields.text(body, "payload");
        String password = Fields.optionalText(body, "password");
        PayResult r = qr.pay(payload, accountId, password);
        if (!r.ok()) {
            throw refusal(r);
        }
        return describe(r).put("status", "PAID").put("account_id", accountId)
                .put("subsidy_fen", r.subsidyFen()).put("cash_fen", r.cashFen())
                .put("balance_after_fen", r.balanceAfterFen()).put("balance_after_yuan", Yuan.of(r.balanceAfterFen()))
                .put("paid_at_ms", r.paidAtMs());
    }

    /** What the app shows before paying; a code that cannot be paid is refused the same way. */
    JsonNode parse(JsonNode body) {
        PayResult r = qr.inspect(Fields.text(body, "payload"));
        if (!r.ok()) {
            throw refusal(r);
        }
        return describe(r).put("status", "PAYABLE");
    }

    private ObjectNode describe(PayResult r) {
        ObjectNode n = json.createObjectNode().put("merchant_name", r.merchantName()).put("terminal_id", r.terminalId())
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

    private static ApiError refusal(PayResult r) {
        int status = switch (r.reason()) {
            case BAD_FORMAT, BAD_CRC -> 400;
            case BAD_MAC, BAD_PASSWORD -> 403;
            case UNKNOWN_TERMINAL, UNKNOWN_ACCOUNT -> 404;
            default -> 409;
        };
        return new ApiError(status, r.reason().name(), "payment refused (" + r.reason() + "): " + r.detail());
    }

}
