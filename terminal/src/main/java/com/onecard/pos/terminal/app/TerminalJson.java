package com.onecard.pos.terminal.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.terminal.journal.JournalEntry;
import com.onecard.pos.terminal.sale.SaleOutcome;

import java.time.Instant;
import java.util.HexFormat;

/** JSON shapes of the control protocol (docs/operations.md lists them). */
final class TerminalJson {
    private TerminalJson() {
    }

    static ObjectNode outcome(ObjectMapper json, SaleOutcome o) {
        ObjectNode n = json.createObjectNode();
        n.put("sale_id", o.saleId());
        n.put("approved", o.approved());
        n.put("reason", o.reasonCode());
        n.put("message", o.reason() == null ? "approved" : o.reason().message());
        n.put("amount_fen", o.amountFen());
        n.put("uid", o.uidHex());
        n.put("account_id", o.accountId());
        n.put("holder", o.holder());
        n.put("balance_after_fen", o.balanceAfterFen());
        n.put("seq", o.seq());
        n.put("mode", o.mode());
        n.put("decided_at", Instant.ofEpochMilli(o.decidedAtMs()).toString());
        n.put("decision_us", o.decisionMicros());
        if (o.committedAtMicros() > 0) {
            n.put("committed_at_us", o.committedAtMicros());
        }
        return n;
    }

    static ObjectNode entry(ObjectMapper json, JournalEntry e) {
        ObjectNode n = json.createObjectNode();
        n.put("seq", e.seq());
        n.put("kind", e.kind().name());
        n.put("sale_id", e.saleId());
        n.put("time", Instant.ofEpochMilli(e.timeMs()).toString());
        n.put("time_ms", e.timeMs());
        n.put("uid", e.uidHex());
        n.put("account_id", e.accountId());
        n.put("amount_fen", e.amountFen());
        n.put("subsidy_fen", e.subsidyFen());
        n.put("cash_fen", e.cashFen());
        n.put("mode", e.mode().name());
        n.put("reverses_seq", e.reversesSeq());
        n.put("meal_period", e.mealPeriod());
        return n;
    }

    static ObjectNode row(ObjectMapper json, JournalRow r) {
        ObjectNode n = json.createObjectNode();
        n.put("seq", r.getSeq());
        n.put("kind", r.getKind().name());
        n.put("sale_id", r.getSaleId());
        n.put("time", Instant.ofEpochMilli(r.getTimeMs()).toString());
        n.put("time_ms", r.getTimeMs());
        n.put("uid", HexFormat.of().withUpperCase().formatHex(r.getCardUid().toByteArray()));
        n.put("account_id", r.getAccountId());
        n.put("amount_fen", r.getAmountFen());
        n.put("subsidy_fen", r.getSubsidyFen());
        n.put("cash_fen", r.getCashFen());
        n.put("mode", r.getMode().name());
        n.put("reverses_seq", r.getReversesSeq());
        n.put("meal_period", r.getMealPeriod());
        n.put("mac", HexFormat.of().formatHex(r.getMac().toByteArray()));
        return n;
    }
}
