package com.onecard.pos.issuer;

import com.onecard.pos.reader.card.CardData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * scripts/issue-card: the card issuer's tool. It alone holds the campus card master key and the
 * issuer signing key; terminals and posctl never do.
 */
@Command(name = "issue-card", mixinStandardHelpOptions = true,
        description = "The card issuer's desk: keys, campus cards (layout 2) and tickets for layout-1 cards.",
        subcommands = {IssueCardMain.Init.class, IssueCardMain.Card.class, IssueCardMain.Ticket.class,
                IssueCardMain.Tickets.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done", "1:failed (a key file, an input file)", "2:usage error"})
public final class IssueCardMain {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private IssueCardMain() {
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new IssueCardMain());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("issue-card: " + (ex instanceof IOException || ex instanceof IllegalArgumentException
                    ? ex.getMessage() : ex.toString()));
            return 1;
        });
        System.exit(cl.execute(args));
    }

    static class Desk {
        @Option(names = "--dir", required = true, description = "the issuer's key folder (made by 'init')")
        Path dir;
    }

    static class CardFields extends Desk {
        @Option(names = "--uid", required = true, description = "card UID, hex (4, 7 or 10 bytes)")
        String uid;

        @Option(names = "--account", required = true, description = "account id")
        long account;

        @Option(names = "--counter", defaultValue = "1", description = "the card's number for this account: 1, then +1 per replacement (default 1)")
        long counter;

        @Option(names = "--expires", description = "last day the card pays, YYYY-MM-DD (default: never)")
        LocalDate expires;

        byte[] uidBytes() {
            try {
                byte[] u = HexFormat.of().parseHex(uid.replace(":", ""));
                if (u.length != 4 && u.length != 7 && u.length != 10) {
                    throw new IllegalArgumentException("--uid must be 4, 7 or 10 bytes, got " + u.length);
                }
                return u;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--uid '" + uid + "': " + e.getMessage());
            }
        }

        CardData data() {
            return new CardData(account, counter, expires == null ? 0 : (int) expires.toEpochDay());
        }
    }

    @Command(name = "init", description = "Create the desk's keys where missing (master key, signing key pair, exported key-A derivation key).")
    static final class Init extends Desk implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            IssuerKeys k = IssuerKeys.init(dir);
            System.out.printf("issuer desk %s: signing key id %d; give terminals %s (public) and, through their tokens, %s%n",
                    dir, k.keyId(), dir.resolve(IssuerKeys.PUBLIC), dir.resolve(IssuerKeys.KEY_A_EXPORT));
            return 0;
        }
    }

    @Command(name = "card", description = "Print the blocks of a new campus card (layout 2) to write with a card writer.")
    static final class Card extends CardFields implements Callable<Integer> {
        @Option(names = "--issued", description = "issue day, YYYY-MM-DD (default: today)")
        LocalDate issued;

        @Override
        public Integer call() throws IOException {
            var s = new CardIssuer(IssuerKeys.load(dir)).issue(uidBytes(), data(), issued == null ? LocalDate.now() : issued);
            s.blocks().forEach((b, v) -> System.out.printf("block %2d  %s%n", b, HEX.formatHex(v)));
            return 0;
        }
    }

    @Command(name = "ticket", description = "Print the ticket (hex) with which terminals read a layout-1 card; the card center stores it with the account.")
    static final class Ticket extends CardFields implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            System.out.println(HEX.formatHex(new CardIssuer(IssuerKeys.load(dir)).ticket(uidBytes(), data()).toBytes()));
            return 0;
        }
    }

    @Command(name = "tickets", description = "Tickets for many layout-1 cards: CSV lines uid,account,counter[,expires] in, uid,account,ticket out.")
    static final class Tickets extends Desk implements Callable<Integer> {
        @Option(names = "--in", required = true)
        Path in;

        @Option(names = "--out", required = true)
        Path out;

        @Override
        public Integer call() throws IOException {
            CardIssuer issuer = new CardIssuer(IssuerKeys.load(dir));
            List<String> lines = Files.readAllLines(in, StandardCharsets.UTF_8);
            int n = 0;
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
                w.println("uid,account,ticket");
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i).strip();
                    if (l.isEmpty() || l.startsWith("#") || l.startsWith("uid,")) {
                        continue;
                    }
                    String[] f = l.split(",", -1);
                    try {
                        byte[] uid = HexFormat.of().parseHex(f[0].strip());
                        long account = Long.parseLong(f[1].strip());
                        long counter = Long.parseLong(f[2].strip());
                        int expires = f.length > 3 && !f[3].isBlank() ? (int) LocalDate.parse(f[3].strip()).toEpochDay() : 0;
                        var t = issuer.ticket(uid, new CardData(account, counter, expires));
                        w.println(HEX.formatHex(uid) + "," + account + "," + HEX.formatHex(t.toBytes()));
                        n++;
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException(in + " line " + (i + 1) + " ('" + l + "'): expected uid,account,counter[,YYYY-MM-DD]");
                    }
                }
            }
            System.out.println("wrote " + n + " tickets to " + out);
            return 0;
        }
    }
}
