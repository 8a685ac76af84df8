package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "reverse", description = "Reverse (冲正) this terminal's last card sale, within the reversal window.")
final class ReverseCommand implements Callable<Integer> {
    @Mixin
    PosCtl.Target target = new PosCtl.Target();

    @Override
    public Integer call() {
        JsonNode r = Daemon.call(target, "reverse");
        if (target.json) {
            Daemon.print(r);
        } else {
            JsonNode v = r.path("reversal");
            System.out.printf("reversed seq %d: %s returned to account %d (reversal row seq %d)%n", v.path("reverses_seq").asLong(),
                    Daemon.yuan(v.path("amount_fen").asLong()), v.path("account_id").asLong(), v.path("seq").asLong());
        }
        return 0;
    }
}
