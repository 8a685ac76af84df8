package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "status", description = "Reader, link, backlog, cache, disk, versions, uptime; with hints for what is wrong.")
final class StatusCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --socket, --config and --json, given before or after the command name. */
    private PosCtl.Target target() {
        return PosCtl.target(spec);
    }

    @Override
    public Integer call() {
        JsonNode s = Daemon.call(target(), "status");
        if (target().json) {
            Daemon.print(s);
            return 0;
        }
        System.out.print(render(s));
        return 0;
    }

    static String render(JsonNode s) {
        StringBuilder b = new StringBuilder();
        long up = s.path("uptime_s").asLong();
        b.append(String.format("terminal   %s  firmware %s  up %dh%02dm  sale %s%n", s.path("terminal_id").asText(),
                s.path("version").asText(), up / 3600, up / 60 % 60, s.path("sale_state").asText()));
        JsonNode r = s.path("reader");
        b.append(String.format("reader     %s  %s  %s  taps %d  errors %d  phantom reads dropped %d%s%n", r.path("state").asText(),
                r.path("port").asText(""), r.path("firmware").asText(""), r.path("taps").asLong(), r.path("errors").asLong(),
                r.path("implausible").asLong(),
                r.path("last_error").asText("").isEmpty() ? "" : "  last error: " + r.path("last_error").asText()));
        b.append(device("scanner", s.path("scanner"), "port",
                String.format("codes %d (not payment codes %d)", s.path("scanner").path("codes").asLong(),
                        s.path("scanner").path("not_payment_codes").asLong())));
        b.append(device("keypad", s.path("keypad"), "device", "keys " + s.path("keypad").path("keys").asLong()));
        if (s.has("gpio")) {
            b.append(String.format("gpio       %s  %s%n", s.path("gpio").path("platform").asText(), s.path("gpio").path("outputs").asText()));
        }
        JsonNode y = s.path("sync");
        b.append(String.format("center     %s  acked seq %d  clock offset %+d ms  reconnects %d%s%n",
                y.path("connected").asBoolean() ? "connected" : "NOT CONNECTED", y.path("last_acked_seq").asLong(),
                y.path("clock_offset_ms").asLong(), y.path("reconnects").asLong(),
                y.path("last_error").asText("").isEmpty() ? "" : "  last error: " + y.path("last_error").asText()));
        if (!y.path("journal_alarm").asText("").isEmpty()) {
            b.append("ALARM      ").append(y.path("journal_alarm").asText()).append('\n');
        }
        if (y.path("rows_refused").asLong() > 0) {
            b.append(String.format("refused    %d journal rows kept at the center but not applied (see the log)%n",
                    y.path("rows_refused").asLong()));
        }
        JsonNode bl = s.path("backlog");
        b.append(String.format("backlog    %d sales not acknowledged (%s), oldest %s  journal seq %d, acked %d%n",
                bl.path("count").asLong(), Daemon.yuan(bl.path("sum_fen").asLong()),
                bl.path("count").asLong() == 0 ? "-" : bl.path("oldest_age_s").asLong() + " s ago",
                bl.path("last_seq").asLong(), bl.path("acked_seq").asLong()));
        JsonNode c = s.path("cache");
        b.append(String.format("cache      %d accounts, %d blacklisted, cursors %s%n", c.path("accounts").asLong(),
                c.path("blacklisted").asLong(), c.path("cursors")));
        JsonNode cards = s.path("cards");
        if (!cards.isMissingNode()) {
            b.append(String.format("cards      layout 1: %d taps accepted (%d cards), %d refused; %s%n",
                    cards.path("v1_accepted").asLong(), cards.path("v1_cards").asLong(), cards.path("v1_refused").asLong(),
                    cards.path("v1_accepted_until").asText().isEmpty() ? "refused (no cut-over date)"
                            : "accepted until " + cards.path("v1_accepted_until").asText()));
        }
        if (s.path("config").path("center_refused").asLong() > 0) {
            b.append(String.format("config     %d keys from the card center refused (set on the terminal only), last %s%n",
                    s.path("config").path("center_refused").asLong(), s.path("config").path("center_refused_last").asText()));
        }
        b.append(String.format("disk       %d MB free%n", s.path("disk_free_mb").asLong()));
        if (s.has("last_sale")) {
            JsonNode l = s.path("last_sale");
            b.append(String.format("last sale  %s %s %s %s%n", l.path("sale_id").asText(), l.path("approved").asBoolean() ? "APPROVED" : "DECLINED",
                    Daemon.yuan(l.path("amount_fen").asLong()), l.path("approved").asBoolean() ? "" : l.path("reason").asText()));
        }
        for (String h : hints(s)) {
            b.append("hint       ").append(h).append('\n');
        }
        return b.toString();
    }

    /** A scanner or keypad line, in the reader's shape; "NONE" when not configured. */
    private static String device(String name, JsonNode d, String where, String counts) {
        String state = d.path("state").asText("NONE");
        if (state.equals("NONE")) {
            return String.format("%-10s none configured%n", name);
        }
        return String.format("%-10s %s  %s  %s  reconnects %d%s%n", name, state, d.path(where).asText(""), counts,
                d.path("reconnects").asLong(),
                d.path("last_error").asText("").isEmpty() ? "" : "  last error: " + d.path("last_error").asText());
    }

    static List<String> hints(JsonNode s) {
        List<String> h = new ArrayList<>();
        String rs = s.path("reader").path("state").asText();
        if (rs.equals("DISCONNECTED")) {
            h.add("card reader not answering: check its USB/serial cable, then `posctl reader probe --port "
                    + s.path("reader").path("port").asText() + "` with the daemon stopped");
        } else if (rs.equals("DEGRADED")) {
            h.add("card reader has errors: reseat the cable; if it persists replace the reader");
        }
        if (s.path("reader").path("implausible").asLong() > 0) {
            h.add("the reader reported card numbers no card has (dropped, never a sale): electrical noise near the antenna;"
                    + " move it away from motors and power supplies, or replace the reader if the count keeps rising");
        }
        if (s.path("scanner").path("state").asText().equals("DISCONNECTED")) {
            h.add("QR/barcode scanner not connected: check its cable, then `posctl reader probe --driver "
                    + s.path("scanner").path("driver").asText() + " --port " + s.path("scanner").path("port").asText()
                    + "` with the daemon stopped");
        }
        if (s.path("keypad").path("state").asText().equals("DISCONNECTED")) {
            h.add("keypad not connected: plug it in (it is reopened by itself); `ls /dev/input/by-id/` shows its name");
        }
        JsonNode y = s.path("sync");
        if (!y.path("connected").asBoolean()) {
            String e = y.path("last_error").asText("");
            if (e.contains("certificate") || e.contains("SSL") || e.contains("handshake")) {
                h.add("TLS problem with the center: check the terminal certificate and the clock (see docs/operations.md, certificates)");
            } else {
                h.add("center not reachable: sales go on offline; check the network cable and `ping` the center host");
            }
        }
        if (!y.path("journal_alarm").asText("").isEmpty()) {
            h.add("the journal here is not the one the center holds: do not delete anything; call the card center to"
                    + " re-seat this terminal (docs/protocol.md, re-seating a terminal)");
        }
        if (Math.abs(y.path("clock_offset_ms").asLong()) > 60_000) {
            h.add("terminal clock is off by more than a minute: check NTP (timedatectl status)");
        }
        if (s.path("backlog").path("oldest_age_s").asLong() > 3600) {
            h.add("sales older than an hour are not uploaded: fix the link, then `posctl sync now`");
        }
        if (s.path("disk_free_mb").asLong() < 200) {
            h.add("disk nearly full: `posctl logs bundle` then remove old files under the log folder");
        }
        if (s.path("cache").path("accounts").asLong() == 0) {
            h.add("no accounts cached: the terminal has never synced with the center (not provisioned?)");
        }
        return h;
    }
}
