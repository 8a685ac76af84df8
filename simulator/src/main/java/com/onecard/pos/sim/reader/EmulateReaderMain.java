package com.onecard.pos.sim.reader;


import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scripts/emulate-reader}: a PN532 on a fresh pty pair, cards placed one after another
 * on Enter or every {@code --cycle} seconds. Ctrl-C stops the emulator and socat.
 */
public final class EmulateReaderMain {

    /** The project folder (scripts/emulate-reader passes --root): the default --workdir is ROOT/work/sim. */
    private static Path root = Path.of(".");

    private EmulateReaderMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>();
        String driver = "pn532";
        for (int i = 0; i < args.length; i++) {
            if ("--driver".equals(args[i])) {
                driver = value(args, ++i, "--driver");
            } else if ("--root".equals(args[i])) {
                root = Path.of(value(args, ++i, "--root"));
            } else {
                rest.add(args[i]);
            }
        }
        String[] own = rest.toArray(String[]::new);
        try {
            // the models of the reader registry that have an emulator; adding one edits nothing here
            ReaderEmulators.forModel(driver).run(own);
        } catch (IllegalArgumentException e) {
            System.err.println("emulate-reader: " + e.getMessage());
            usage();
            System.exit(2);
        } catch (java.io.IOException e) {
            System.err.println("emulate-reader: " + e.getMessage());
            System.exit(1);
        }
    }

    static void pn532(String[] args) throws Exception {
        Path dir = Path.of("/tmp/onecard-pos");
        Path workdir = root.resolve("work/sim");
        int baud = 115200;
        double cycle = 0;
        long seed = 1;
        Path desk = null;
        List<String> campusUids = new ArrayList<>();
        List<String> cloneUids = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--dir" -> dir = Path.of(value(args, ++i, a));
                case "--workdir" -> workdir = Path.of(value(args, ++i, a));
                case "--baud" -> baud = number(value(args, ++i, a), a);
                case "--card" -> campusUids.add(uid(value(args, ++i, a), a));
                case "--clone" -> cloneUids.add(uid(value(args, ++i, a), a));
                case "--cycle" -> cycle = seconds(value(args, ++i, a), a);
                case "--seed" -> seed = number(value(args, ++i, a), a);
                case "--issuer" -> desk = Path.of(value(args, ++i, a));
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        SimulatedCards deck = SimulatedCards.of(workdir, seed, desk);
        System.out.println(deck.source());
        List<SimulatedCards.Card> cards = new ArrayList<>();
        for (String uid : campusUids) {
            cards.add(deck.campus(uid));
        }
        for (String uid : cloneUids) {
            cards.add(deck.clone(uid));
        }
        if (cards.isEmpty()) {
            cards.add(deck.firstStudent());
        }

        PtyPair pair = PtyPair.startIn(dir);
        Pn532Emulator emulator = new Pn532Emulator(pair.device().toString(), baud);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.stop();
            pair.close();
        }, "emulate-reader-shutdown"));
        // the card named on the command line lies on the reader from the start, as a card does
        emulator.place(cards.get(0).card());
        System.out.println("PN532 emulator at " + baud + " baud");
        System.out.println("connect the reader to: " + pair.host().toAbsolutePath());
        System.out.println("on the reader: " + cards.get(0).describe());
        System.out.println(cycle > 0 ? "cycling the cards every " + cycle + " s"
                : "Enter takes the card off the reader, Enter again places the next one; Ctrl-C stops");
        System.out.flush();

        if (cycle > 0) {
            long on = (long) (cycle * 1000);
            for (int i = 0; ; i = (i + 1) % cards.size()) {
                if (i > 0 || emulator.card() == null) {
                    emulator.place(cards.get(i).card());
                    System.out.println("placed " + cards.get(i).describe());
                }
                Thread.sleep(on);
                emulator.remove();
                System.out.println("removed");
                Thread.sleep(Math.max(500, on / 2));
            }
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int next = cards.size() > 1 ? 1 : 0;
        while (in.readLine() != null) {
            if (emulator.card() != null) {
                emulator.remove();
                System.out.println("removed; Enter places " + cards.get(next).describe());
            } else {
                emulator.place(cards.get(next).card());
                System.out.println("placed " + cards.get(next).describe() + "; Enter removes it");
                next = (next + 1) % cards.size();
            }
        }
        // stdin closed (run in the background): keep serving the card on the reader until Ctrl-C
        Thread.currentThread().join();
    }

    private static String uid(String hex, String option) {
        String u = hex.replace(":", "").trim();
        if (!u.matches("([0-9A-Fa-f]{2}){4}|([0-9A-Fa-f]{2}){7}|([0-9A-Fa-f]{2}){10}")) {
            throw new IllegalArgumentException(option + " needs a UID of 4, 7 or 10 bytes in hex, e.g. 901F2AA4; got '" + hex + "'");
        }
        return u.toUpperCase(java.util.Locale.ROOT);
    }

    private static double seconds(String text, String option) {
        try {
            double d = Double.parseDouble(text);
            if (!(d > 0) || d > 3600) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs seconds between 0 and 3600, got '" + text + "'");
        }
    }

    private static int number(String text, String option) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + text + "'");
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    private static void usage() {
        System.out.println("""
                usage: scripts/emulate-reader [--driver pn532] [--dir DIR] [--baud N] [--card UID]... [--clone UID]...
                                              [--cycle SECONDS] [--workdir DIR] [--seed S] [--issuer DIR]
                       scripts/emulate-reader --driver rdm6300 [--dir DIR] [--baud N] [--tag HEX10]...
                       scripts/emulate-reader --driver scanner [--dir DIR] [--baud N] [--no-terminator]
                  --driver      a model of the reader registry (posctl reader models) with an emulator; default pn532
                  --tag HEX10   an EM4100 tag: version byte + 4-byte number (default 307E4DE5C2); repeatable
                  --dir         where the pty links go (default /tmp/onecard-pos: DIR/reader, DIR/pn532)
                  --card UID    a campus card (hex UID, 4, 7 or 10 bytes), on the reader from the start; repeatable.
                                A UID of a simulated student is issued for that student's account; another UID for
                                an account the simulated center does not know (a terminal refuses it as unknown)
                  --clone UID   a bare UID clone on default keys (refused by the terminal); repeatable
                                (no --card or --clone: the first simulated student's card)
                  --cycle S     place each card for S seconds in turn instead of waiting for Enter
                  --workdir DIR a simulation's work folder: its roster.tsv names the students and its keys/issuer desk
                                issues their cards (default work/sim; without a roster, the students of
                                scripts/simulate --seed S, default 1)
                  --issuer DIR  the issuer desk that signs the cards (default: the work folder's keys/issuer, else
                                work/keys/issuer, made when missing)
                emulated models:""");
        System.out.print(ReaderEmulators.summaries());
    }
}
