package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "reverse", description = "Reverse (冲正) this terminal's last sale, card, QR or payment code, within the reversal window;"
        + " the answer names whose money goes back.")
final class ReverseCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --socket, --config and --json, given before or after the command name. */
    private PosCtl.Target target() {
        return PosCtl.target(spec);
    }

    @Override
    public Integer call() {
        JsonNode r = Daemon.call(target(), "reverse");
        if (target().json) {
            Daemon.print(r);
        } else {
            System.out.println(text(r));
        }
        return 0;
    }

    /** The cashier's line for the daemon's answer to "reverse": which sale, how much, whose money goes back. */
    static String text(JsonNode r) {
        JsonNode v = r.path("reversal");
        String kind = r.path("reversed_kind").asText();
        boolean qr = kind.equals("QR_SALE");
        String what = switch (kind) {
            case "QR_SALE" -> "QR";
            case "PAYCODE_SALE" -> "payment-code";
            default -> "card";
        };
        String holder = r.path("holder").asText();
        return String.format("reversed %s sale %s (seq %d): %s returned to %saccount %d%s (reversal row seq %d)",
                what, r.path("reversed_sale_id").asText(), v.path("reverses_seq").asLong(),
                Daemon.yuan(v.path("amount_fen").asLong()), holder.isEmpty() ? "" : holder + ", ",
                v.path("account_id").asLong(), qr ? " through the card center when the row uploads" : "",
                v.path("seq").asLong());
    }
}
