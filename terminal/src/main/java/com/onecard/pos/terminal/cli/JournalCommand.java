package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.Callable;

@Command(name = "journal", description = {"Show the journal: the last rows, or one day's; export as CSV.",
        "--audit shows the audit log instead: who (uid, user, pid) sent each sale, card password, cancel, reverse and"
                + " configuration change, from the control socket, the keypad or the card center."})
final class JournalCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --socket, --config and --json, given before or after the command name. */
    private PosCtl.Target target() {
        return PosCtl.target(spec);
    }

    @Option(names = "--tail", description = "last N rows, 1-100000 (default 20)", defaultValue = "20")
    int tail;

    @Option(names = "--date", description = "all rows of this day, YYYY-MM-DD (terminal's time zone)")
    LocalDate date;

    @Option(names = "--csv", description = "write the rows to this CSV file instead of printing them")
    Path csv;

    @Option(names = "--audit", description = "show the audit log (who changed what) instead of the journal")
    boolean audit;

    @Override
    public Integer call() throws IOException {
        if (date == null && (tail < 1 || tail > 100_000)) {
            throw new PosCtl.UsageError("--tail must be 1 to 100000 rows, got " + tail);
        }
        if (csv != null) {
            Outputs.checkWritable(csv, "--csv");
        }
        JsonNode r = Daemon.call(target(), "journal", q -> {
            q.put("audit", audit);
            if (date != null) {
                ZoneId z = ZoneId.systemDefault();
                q.put("from_ms", date.atStartOfDay(z).toInstant().toEpochMilli());
                q.put("to_ms", date.plusDays(1).atStartOfDay(z).toInstant().toEpochMilli());
                q.put("limit", 100_000);
            } else {
                q.put("limit", tail);
            }
        });
        if (audit) {
            return printAudit(r);
        }
        if (csv != null) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
                w.println("seq,kind,sale_id,time,uid,account_id,amount_fen,subsidy_fen,cash_fen,mode,reverses_seq,meal_period,mac");
                for (JsonNode row : r.path("rows")) {
                    w.printf("%d,%s,%s,%s,%s,%d,%d,%d,%d,%s,%d,%s,%s%n", row.path("seq").asLong(), row.path("kind").asText(),
                            row.path("sale_id").asText(), row.path("time").asText(), row.path("uid").asText(), row.path("account_id").asLong(),
                            row.path("amount_fen").asLong(), row.path("subsidy_fen").asLong(), row.path("cash_fen").asLong(),
                            row.path("mode").asText(), row.path("reverses_seq").asLong(), row.path("meal_period").asText(), row.path("mac").asText());
                }
            }
            System.out.println("wrote " + r.path("rows").size() + " rows to " + csv);
            return 0;
        }
        if (target().json) {
            Daemon.print(r);
            return 0;
        }
        System.out.printf("%6s  %-18s %-20s %-24s %-10s %10s %9s  %s%n", "seq", "kind", "sale", "time", "card", "account", "amount", "mode");
        for (JsonNode row : r.path("rows")) {
            System.out.printf("%6d  %-18s %-20s %-24s %-10s %10d %9s  %s%n", row.path("seq").asLong(), row.path("kind").asText(),
                    row.path("sale_id").asText(), row.path("time").asText(), row.path("uid").asText(), row.path("account_id").asLong(),
                    Daemon.yuan(row.path("amount_fen").asLong()), row.path("mode").asText());
        }
        return 0;
    }

    private int printAudit(JsonNode r) throws IOException {
        if (csv != null) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
                w.println("time,source,uid,user,pid,program,command,detail,outcome");
                for (JsonNode e : r.path("audit")) {
                    w.printf("%s,%s,%d,%s,%d,%s,%s,%s,%s%n", e.path("time").asText(), e.path("source").asText(),
                            e.path("uid").asLong(), csvField(e.path("user").asText()), e.path("pid").asLong(),
                            csvField(e.path("program").asText()), e.path("command").asText(),
                            csvField(e.path("detail").asText()), csvField(e.path("outcome").asText()));
                }
            }
            System.out.println("wrote " + r.path("audit").size() + " audit entries to " + csv);
            return 0;
        }
        if (target().json) {
            Daemon.print(r);
            return 0;
        }
        System.out.printf("%-24s %-8s %-22s %-10s %-28s %s%n", "time", "source", "who", "command", "detail", "outcome");
        for (JsonNode e : r.path("audit")) {
            String who = e.path("uid").asLong() >= 0 ? e.path("user").asText() + "(" + e.path("uid").asLong() + ")" : e.path("user").asText();
            if (e.path("pid").asLong() > 0) {
                who += " pid " + e.path("pid").asLong();
            }
            System.out.printf("%-24s %-8s %-22s %-10s %-28s %s%n", e.path("time").asText(), e.path("source").asText(), who,
                    e.path("command").asText(), e.path("detail").asText(), e.path("outcome").asText());
        }
        return 0;
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
