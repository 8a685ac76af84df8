package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "sale", description = "Start a sale: AMOUNT in yuan (12.50), or 0 for the meal period's fixed price.")
final class SaleCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --socket, --config and --json, given before or after the command name. */
    private PosCtl.Target target() {
        return PosCtl.target(spec);
    }

    @Parameters(index = "0", arity = "0..1", description = "amount in yuan, at most 2 decimals (0 = fixed meal price)")
    String amount;

    @Option(names = "--item", description = "menu item number instead of an amount (repeat for several dishes)")
    java.util.List<Integer> items = new java.util.ArrayList<>();

    @Option(names = "--qr", description = "show a payment QR code instead of waiting for a card")
    boolean qr;

    @Option(names = "--wait", description = "wait for the outcome (seconds, default 0 = do not wait)")
    int waitSeconds;

    @Override
    public Integer call() {
        if ((amount == null) == items.isEmpty()) {
            throw new PosCtl.UsageError("give either an AMOUNT or one or more --item numbers");
        }
        if (waitSeconds < 0 || waitSeconds > 120) {
            throw new PosCtl.UsageError("--wait must be 0 to 120 seconds, got " + waitSeconds);
        }
        long fen = amount == null ? 0 : parseYuan(amount);
        JsonNode r = Daemon.call(target(), "sale", q -> {
            q.put("amount_fen", fen);
            q.put("qr", qr);
            items.forEach(q.putArray("items")::add);
        });
        String id = r.path("sale_id").asText();
        if (waitSeconds <= 0) {
            if (target().json) {
                Daemon.print(r);
            } else {
                System.out.println("sale " + id + " of " + Daemon.yuan(r.path("amount_fen").asLong()) + " started: "
                        + (qr ? "QR code shown" : "waiting for a card"));
            }
            return 0;
        }
        JsonNode o;
        try {
            o = Daemon.call(target(), "await", q -> {
                q.put("sale_id", id);
                q.put("timeout_ms", waitSeconds * 1000L);
            }).path("outcome");
        } catch (PosCtl.Refused e) {
            throw new PosCtl.Refused(e.getMessage() + "; sale " + id + " of " + Daemon.yuan(r.path("amount_fen").asLong())
                    + " is still open" + (qr ? " (its QR code is on the screen)" : " (the screen asks for a card)")
                    + "; cancel it with: posctl cancel");
        }
        if (target().json) {
            Daemon.print(o);
        } else {
            System.out.println(describe(o));
        }
        return o.path("approved").asBoolean() ? 0 : PosCtl.EXIT_REFUSED;
    }

    static String describe(JsonNode o) {
        return o.path("approved").asBoolean()
                ? String.format("sale %s APPROVED %s %s, balance %s (%s)", o.path("sale_id").asText(),
                Daemon.yuan(o.path("amount_fen").asLong()), o.path("holder").asText(), Daemon.yuan(o.path("balance_after_fen").asLong()),
                o.path("mode").asText())
                : String.format("sale %s DECLINED %s: %s", o.path("sale_id").asText(), o.path("reason").asText(), o.path("message").asText());
    }

    static long parseYuan(String s) {
        try {
            return com.onecard.pos.display.Yuan.parseFen(s);
        } catch (IllegalArgumentException e) {
            throw new PosCtl.UsageError("amount " + e.getMessage());
        }
    }
}
