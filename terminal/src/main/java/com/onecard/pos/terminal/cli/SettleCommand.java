package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "settle", description = "The day's report: per meal period, by purse and by outcome.")
final class SettleCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --socket, --config and --json, given before or after the command name. */
    private PosCtl.Target target() {
        return PosCtl.target(spec);
    }

    @Option(names = "--date", description = "day to report, YYYY-MM-DD (default today)")
    LocalDate date;

    @Override
    public Integer call() {
        JsonNode r = Daemon.call(target(), "settle", q -> q.put("date", (date == null ? LocalDate.now() : date).toString()));
        if (target().json) {
            Daemon.print(r);
            return 0;
        }
        System.out.println("settlement " + r.path("date").asText() + " terminal " + r.path("terminal_id").asText());
        System.out.printf("%-12s %6s %11s %11s %11s %6s %11s %6s %11s %9s%n", "period", "sales", "total", "subsidy", "cash",
                "qr", "qr total", "revs", "reversed", "declines");
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("periods").fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode p = e.getValue();
            System.out.printf("%-12s %6d %11s %11s %11s %6d %11s %6d %11s %9d%n", e.getKey(), p.path("sales").asLong(),
                    Daemon.yuan(p.path("sales_fen").asLong()), Daemon.yuan(p.path("subsidy_fen").asLong()),
                    Daemon.yuan(p.path("cash_fen").asLong()), p.path("qr_sales").asLong(), Daemon.yuan(p.path("qr_fen").asLong()),
                    p.path("reversals").asLong(), Daemon.yuan(p.path("reversed_fen").asLong()), p.path("declines").asLong());
        }
        JsonNode t = r.path("total");
        System.out.printf("net takings %s  (card %s + qr %s - reversed %s)%n", Daemon.yuan(t.path("net_fen").asLong()),
                Daemon.yuan(t.path("sales_fen").asLong()), Daemon.yuan(t.path("qr_fen").asLong()), Daemon.yuan(t.path("reversed_fen").asLong()));
        System.out.println("declines by reason: " + r.path("declines"));
        System.out.println("journal and cache movements agree: " + (r.path("consistent").asBoolean() ? "yes" : "NO: " + r.path("inconsistency").asText()));
        return r.path("consistent").asBoolean() ? 0 : PosCtl.EXIT_REFUSED;
    }
}
