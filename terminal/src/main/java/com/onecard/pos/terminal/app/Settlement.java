package com.onecard.pos.terminal.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.store.Store;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The day's report from the journal: per meal period, counts and sums by purse and outcome,
 * and a consistency check (each sale's purse parts add up to its amount; each reversal
 * undoes an existing sale of the same amount).
 */
final class Settlement {
    private Settlement() {
    }

    static ObjectNode report(ObjectMapper json, Store store, String terminalId, LocalDate day, ZoneId zone) {
        long from = day.atStartOfDay(zone).toInstant().toEpochMilli();
        long to = day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        List<JournalRow> rows = store.rowsBetween(from, to, Integer.MAX_VALUE);
        ObjectNode r = json.createObjectNode();
        r.put("ok", true);
        r.put("date", day.toString());
        r.put("terminal_id", terminalId);
        ObjectNode periods = r.putObject("periods");
        long sales = 0, qr = 0, paycode = 0, reversed = 0;
        String problem = null;
        Map<Long, JournalRow> bySeq = new HashMap<>();
        for (JournalRow row : rows) {
            bySeq.put(row.getSeq(), row);
            String name = row.getMealPeriod().isEmpty() ? "(none)" : row.getMealPeriod();
            ObjectNode p = periods.has(name) ? (ObjectNode) periods.get(name) : newPeriod(periods, name);
            switch (row.getKind()) {
                case SALE -> {
                    add(p, "sales", 1);
                    add(p, "sales_fen", row.getAmountFen());
                    add(p, "subsidy_fen", row.getSubsidyFen());
                    add(p, "cash_fen", row.getCashFen());
                    add(p, row.getMode().name().toLowerCase() + "_sales", 1);
                    sales += row.getAmountFen();
                    if (row.getSubsidyFen() + row.getCashFen() != row.getAmountFen() && problem == null) {
                        problem = "sale seq " + row.getSeq() + " purse parts do not add up to its amount";
                    }
                }
                case QR_SALE -> {
                    add(p, "qr_sales", 1);
                    add(p, "qr_fen", row.getAmountFen());
                    qr += row.getAmountFen();
                }
                case REVERSAL -> {
                    add(p, "reversals", 1);
                    add(p, "reversed_fen", row.getAmountFen());
                    reversed += row.getAmountFen();
                    JournalRow orig = bySeq.containsKey(row.getReversesSeq()) ? bySeq.get(row.getReversesSeq())
                            : store.row(row.getReversesSeq()).orElse(null);
                    if ((orig == null || orig.getAmountFen() != row.getAmountFen()) && problem == null) {
                        problem = "reversal seq " + row.getSeq() + " does not match sale seq " + row.getReversesSeq();
                    }
                }
                case PAYCODE_SALE -> {
                    add(p, "paycode_sales", 1);
                    add(p, "paycode_fen", row.getAmountFen());
                    paycode += row.getAmountFen();
                }
                case LOST_CARD_SIGHTING -> add(p, "lost_card_sightings", 1);
                default -> {
                }
            }
        }
        ObjectNode declines = r.putObject("declines");
        store.declinesByPeriod(from, to).forEach((period, reasons) -> {
            String name = period.isEmpty() ? "(none)" : period;
            ObjectNode p = periods.has(name) ? (ObjectNode) periods.get(name) : newPeriod(periods, name);
            reasons.forEach((reason, n) -> {
                add(p, "declines", n);
                declines.put(reason, declines.path(reason).asLong() + n);
            });
        });
        ObjectNode total = r.putObject("total");
        total.put("sales_fen", sales);
        total.put("qr_fen", qr);
        total.put("paycode_fen", paycode);
        total.put("reversed_fen", reversed);
        total.put("net_fen", sales + qr + paycode - reversed);
        r.put("consistent", problem == null);
        r.put("inconsistency", problem == null ? "" : problem);
        return r;
    }

    private static ObjectNode newPeriod(ObjectNode periods, String name) {
        ObjectNode p = periods.putObject(name);
        for (String k : new String[]{"sales", "sales_fen", "subsidy_fen", "cash_fen", "online_sales", "offline_sales", "qr_sales",
                "qr_fen", "reversals", "reversed_fen", "declines", "lost_card_sightings"}) {
            p.put(k, 0L);
        }
        return p;
    }

    private static void add(ObjectNode n, String key, long v) {
        n.put(key, n.path(key).asLong() + v);
    }
}
