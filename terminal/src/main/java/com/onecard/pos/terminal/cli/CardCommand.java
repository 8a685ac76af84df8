package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "card", description = "What the terminal's cache knows of a card (UID in hex); blacklisted or not.")
final class CardCommand implements Callable<Integer> {
    @Mixin
    PosCtl.Target target = new PosCtl.Target();

    @Parameters(index = "0", description = "card UID, hex (e.g. 901F2AA4)")
    String uid;

    @Override
    public Integer call() {
        JsonNode r = Daemon.call(target, "card", q -> q.put("uid", uid));
        if (target.json) {
            Daemon.print(r);
            return 0;
        }
        System.out.printf("card %s  %s%n", r.path("uid").asText(), r.path("blacklisted").asBoolean() ? "BLACKLISTED (reported lost)" : "not blacklisted");
        if (!r.path("known").asBoolean()) {
            System.out.println("not in the account cache: unknown to this terminal");
            return 0;
        }
        JsonNode a = r.path("account");
        System.out.printf("account %d  %s  %s  card serial %d%n", a.path("account_id").asLong(), a.path("holder").asText(),
                a.path("status").asText(), a.path("card_serial").asLong());
        System.out.printf("center balance %s (subsidy %s, cash %s) as of this terminal's seq %d, version %d%n",
                Daemon.yuan(a.path("center_subsidy_fen").asLong() + a.path("center_cash_fen").asLong()),
                Daemon.yuan(a.path("center_subsidy_fen").asLong()), Daemon.yuan(a.path("center_cash_fen").asLong()),
                a.path("applied_seq").asLong(), a.path("version").asLong());
        System.out.printf("not yet acknowledged here %s; available %s; card password checked by the card center%n",
                Daemon.yuan(a.path("unacknowledged_debit_fen").asLong()), Daemon.yuan(a.path("available_fen").asLong()));
        return 0;
    }
}
