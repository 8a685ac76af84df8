package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "reverse", description = "Reverse (冲正) this terminal's last sale, card or QR, within the reversal window;"
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
            JsonNode v = r.path("reversal");
            boolean qr = r.path("reversed_kind").asText().equals("QR_SALE");
            String holder = r.path("holder").asText();
            System.out.printf("reversed %s sale %s (seq %d): %s returned to %saccount %d%s (reversal row seq %d)%n",
                    qr ? "QR" : "card", r.path("reversed_sale_id").asText(), v.path("reverses_seq").asLong(),
                    Daemon.yuan(v.path("amount_fen").asLong()), holder.isEmpty() ? "" : holder + ", ",
                    v.path("account_id").asLong(), qr ? " through the card center when the row uploads" : "",
                    v.path("seq").asLong());
        }
        return 0;
    }
}
