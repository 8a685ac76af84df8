package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.card.CardData;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code scripts/emulate-reader}: a PN532 on a fresh pty pair, cards placed one after another
 * on Enter or every {@code --cycle} seconds. Ctrl-C stops the emulator and socat.
 */
public final class EmulateReaderMain {
    /** The development issuer's desk that scripts/provision --dir work/keys makes (and the simulator uses). */
    static final Path DEV_DESK = Path.of("work/keys/issuer");

    private EmulateReaderMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>();
        String driver = "pn532";
        for (int i = 0; i < args.length; i++) {
            if ("--driver".equals(args[i])) {
                driver = value(args, ++i, "--driver");
            } else {
                rest.add(args[i]);
            }
        }
        String[] own = rest.toArray(String[]::new);
        try {
            // the models of the reader registry that have an emulator; adding one edits nothing here
            ReaderEmulators.forModel(driver).run(own);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            usage();
            System.exit(2);
        }
    }

    static void pn532(String[] args) throws Exception {
        Path dir = Path.of("/tmp/onecard-pos");
        int baud = 115200;
        double cycle = 0;
        Path desk = DEV_DESK;
        List<String> campusUids = new ArrayList<>();
        List<String> cloneUids = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--dir" -> dir = Path.of(value(args, ++i, a));
                case "--baud" -> baud = Integer.parseInt(value(args, ++i, a));
                case "--card" -> campusUids.add(value(args, ++i, a));
                case "--clone" -> cloneUids.add(value(args, ++i, a));
                case "--cycle" -> cycle = Double.parseDouble(value(args, ++i, a));
                case "--issuer" -> desk = Path.of(value(args, ++i, a));
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("unknown option " + a);
                    usage();
                    System.exit(2);
                }
            }
        }
        var issuer = DevCards.at(desk).issuer();
        List<VirtualCard> cards = new ArrayList<>();
        long account = 100001;
        for (String uid : campusUids) {
            cards.add(VirtualCard.campus(uid, issuer, new CardData(account++, 1, 0)));
        }
        for (String uid : cloneUids) {
            cards.add(VirtualCard.blank(uid));
        }
        if (cards.isEmpty()) {
            cards.add(VirtualCard.campus("04A1B2C3", issuer, new CardData(account, 1, 0)));
        }

        PtyPair pair = PtyPair.startIn(dir);
        Pn532Emulator emulator = new Pn532Emulator(pair.device().toString(), baud);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.stop();
            pair.close();
        }, "emulate-reader-shutdown"));
        System.out.println("PN532 emulator at " + baud + " baud");
        System.out.println("connect the reader to: " + pair.host());
        System.out.println("cards: " + cards + (cycle > 0 ? ", cycling every " + cycle + " s" : ", Enter places/removes the next card"));
        System.out.flush();

        if (cycle > 0) {
            long on = (long) (cycle * 1000);
            for (int i = 0; ; i = (i + 1) % cards.size()) {
                emulator.place(cards.get(i));
                System.out.println("placed " + cards.get(i).uidHex());
                Thread.sleep(on);
                emulator.remove();
                System.out.println("removed");
                Thread.sleep(Math.max(500, on / 2));
            }
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int next = 0;
        while (in.readLine() != null) {
            if (emulator.card() != null) {
                emulator.remove();
                System.out.println("removed; Enter places " + cards.get(next).uidHex());
            } else {
                emulator.place(cards.get(next));
                System.out.println("placed " + cards.get(next).uidHex() + "; Enter removes it");
                next = (next + 1) % cards.size();
            }
        }
        // stdin closed: keep serving the last state until Ctrl-C
        Thread.currentThread().join();
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
                                              [--cycle SECONDS] [--issuer DIR]
                       scripts/emulate-reader --driver rdm6300 [--dir DIR] [--baud N] [--tag HEX10]...
                       scripts/emulate-reader --driver scanner [--dir DIR] [--baud N] [--no-terminator]
                  --driver      a model of the reader registry (posctl reader models) with an emulator; default pn532
                  --tag HEX10   an EM4100 tag: version byte + 4-byte number (default 307E4DE5C2); repeatable
                  --dir         where the pty links go (default /tmp/onecard-pos: DIR/reader, DIR/pn532)
                  --card UID    a campus card issued by the issuer desk (hex UID, 4 or 7 bytes); repeatable
                  --clone UID   a bare UID clone on default keys (refused by the terminal); repeatable
                  --cycle S     place each card for S seconds in turn instead of waiting for Enter
                  --issuer DIR  the issuer desk that signs the cards (default: work/keys/issuer, made when missing;
                              a terminal provisioned with scripts/provision --dir work/keys reads them)
                emulated models:""");
        System.out.print(ReaderEmulators.summaries());
    }
}
