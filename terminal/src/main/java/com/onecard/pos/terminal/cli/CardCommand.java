package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "card", description = "What the terminal's cache knows of a card (UID in hex); blacklisted or not.")
final class CardCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --socket, --config and --json, given before or after the command name. */
    private PosCtl.Target target() {
        return PosCtl.target(spec);
    }

    @Parameters(index = "0", description = "card UID, hex (e.g. 901F2AA4)")
    String uid;

    @picocli.CommandLine.Option(names = "--clear-pin-lock", description = "forget the wrong card passwords that locked"
            + " this card's password here (after the card office has checked the student)")
    boolean clearPinLock;

    @Override
    public Integer call() {
        String hex = uid.replace(":", "").replace(" ", "");
        if (!hex.matches("([0-9A-Fa-f]{2}){4,10}")) {
            throw new PosCtl.UsageError("card UID must be 4 to 10 bytes of hex, e.g. 901F2AA4; got '" + uid + "'");
        }
        if (clearPinLock) {
            JsonNode c = Daemon.call(target(), "card-clear-pin-lock", q -> q.put("uid", hex));
            if (target().json) {
                Daemon.print(c);
            } else {
                System.out.printf("card password of account %d (%s) unlocked here: %d wrong tries forgotten%n",
                        c.path("account_id").asLong(), c.path("holder").asText(), c.path("cleared_tries").asLong());
            }
            return 0;
        }
        JsonNode r = Daemon.call(target(), "card", q -> q.put("uid", hex));
        if (target().json) {
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
        System.out.printf("not yet acknowledged here %s; available %s; card password checked by the card center%s%n",
                Daemon.yuan(a.path("unacknowledged_debit_fen").asLong()), Daemon.yuan(a.path("available_fen").asLong()),
                a.path("pin_locked").asBoolean() ? ", LOCKED after " + a.path("pin_wrong_tries").asLong()
                        + " wrong tries (posctl card " + hex + " --clear-pin-lock once the student is checked)"
                        : a.path("pin_wrong_tries").asLong() > 0 ? ", " + a.path("pin_wrong_tries").asLong() + " wrong tries" : "");
        return 0;
    }
}
