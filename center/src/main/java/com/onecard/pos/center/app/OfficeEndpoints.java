package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.ledger.TerminalRegistry;
import com.onecard.pos.center.office.OfficeViews;
import com.onecard.pos.sync.TerminalHealth;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The card office's overview (admin): the fleet as the center sees it and the cards reported lost
 * with their sightings. Beside what the center knows (highest sequence applied, last sale), each
 * terminal connected to this instance reports its backlog and reader state with its heartbeats
 * ({@code health}, kept in memory per instance for the session's life; absent = "—" on the page).
 */
final class OfficeEndpoints {
    private final TerminalRegistry terminals;
    private final OfficeViews views;
    private final Supplier<Set<String>> connected;
    private final Supplier<java.util.Map<String, TerminalHealth>> health;

    /** @param connected the terminals connected to this instance's gateway; null = this instance has none */
    OfficeEndpoints(TerminalRegistry terminals, OfficeViews views, Supplier<Set<String>> connected) {
        this(terminals, views, connected, java.util.Map::of);
    }

    /** @param health each connected terminal's newest report (backlog, reader state), this instance's sessions */
    OfficeEndpoints(TerminalRegistry terminals, OfficeViews views, Supplier<Set<String>> connected,
                    Supplier<java.util.Map<String, TerminalHealth>> health) {
        this.terminals = terminals;
        this.views = views;
        this.connected = connected;
        this.health = health;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/admin/terminals", Access.ADMIN, this::fleet),
                new Route("GET", "/api/v1/admin/lost-cards", Access.ADMIN, this::lostCards));
    }

    private JsonNode fleet(Call c) {
        List<TerminalRegistry.Info> all = terminals.list();
        List<OfficeViews.LastSale> last = views.lastSales(all.stream().map(TerminalRegistry.Info::id).toList());
        Set<String> online = connected.get();
        java.util.Map<String, TerminalHealth> reports = health.get();
        ObjectNode out = c.json().createObjectNode();
        ArrayNode items = out.putArray("items");
        for (int i = 0; i < all.size(); i++) {
            TerminalRegistry.Info t = all.get(i);
            OfficeViews.LastSale s = last.get(i);
            ObjectNode n = items.addObject().put("terminal_id", t.id()).put("revoked", t.revoked())
                    .put("applied_seq", t.appliedSeq()).put("quarantined", t.quarantined()).put("campus", t.campus());
            if (online != null) {
                n.put("connected", online.contains(t.id()));
            }
            TerminalHealth h = reports.get(t.id());
            if (h != null) {
                n.putObject("health").put("backlog_count", h.backlogCount()).put("backlog_fen", h.backlogFen())
                        .put("backlog_yuan", Yuan.of(h.backlogFen())).put("oldest_unsent_age_ms", h.oldestUnsentAgeMs())
                        .put("reader_state", h.readerState());
            }
            if (t.quarantined()) {
                n.put("quarantine_reason", t.quarantineReason());
            }
            if (s.timeMs() > 0) {
                n.putObject("last_sale").put("seq", s.seq()).put("kind", s.kind()).put("amount_fen", s.amountFen())
                        .put("yuan", Yuan.of(s.amountFen())).put("time_ms", s.timeMs())
                        .put("time", Instant.ofEpochMilli(s.timeMs()).toString());
            }
        }
        return out;
    }

    private JsonNode lostCards(Call c) {
        ObjectNode out = c.json().createObjectNode();
        ArrayNode items = out.putArray("items");
        for (OfficeViews.LostCard l : views.lostCards(c.queryInt("limit", 100, 1, 1000), 10)) {
            ObjectNode n = items.addObject().put("account_id", l.accountId()).put("holder_name", l.holderName());
            ArrayNode uids = n.putArray("card_uids");
            l.cardUids().forEach(uids::add);
            ArrayNode seen = n.putArray("sightings");
            for (OfficeViews.Sighting s : l.sightings()) {
                seen.addObject().put("terminal_id", s.terminalId()).put("time_ms", s.timeMs())
                        .put("time", Instant.ofEpochMilli(s.timeMs()).toString());
            }
        }
        return out;
    }
}
