package com.onecard.pos.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The console of {@code scripts/simulate --keep}: what a cashier's hands and the students' cards
 * do at the windows while a person tries posctl against the running daemons.
 *
 * <pre>
 *   students                    the queue: number, name, card, account, passwords (also in roster.tsv)
 *   tap STUDENT [AMOUNT] [TN]   lay the student's card on window TN's reader (default T01); with an
 *                               AMOUNT in yuan the cashier starts that sale first and the outcome shows
 *   quit                        stop everything, after checking every invariant again
 * </pre>
 * STUDENT is a number from {@code students}, a card UID or a name.
 */
public final class KeepConsole {
    private final Simulation sim;
    private final BufferedReader in;
    private final PrintStream out;

    public KeepConsole(Simulation sim, BufferedReader in, PrintStream out) {
        this.sim = sim;
        this.in = in;
        this.out = out;
    }

    /**
     * Reads commands until {@code quit} or the end of input.
     *
     * @return true when the user asked to quit, false when input ended (run in the background)
     */
    public boolean run() throws IOException {
        out.println("console: students | tap STUDENT [AMOUNT] [WINDOW] | quit   (help for more)");
        String line;
        while ((line = in.readLine()) != null) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            String[] w = l.split("\\s+");
            try {
                switch (w[0].toLowerCase(Locale.ROOT)) {
                    case "quit", "exit", "stop" -> {
                        return true;
                    }
                    case "students" -> students();
                    case "tap" -> tap(w);
                    case "help" -> help();
                    default -> out.println("unknown command '" + w[0] + "'; try help");
                }
            } catch (IllegalArgumentException e) {
                out.println(e.getMessage());
            } catch (IOException e) {
                out.println("failed: " + e.getMessage());
            }
        }
        return false;
    }

    private void help() {
        out.println("""
                students                    the queue: number, name, card, account, passwords (also in the roster file)
                tap STUDENT [AMOUNT] [TN]   lay STUDENT's card on window TN's reader (default T01); with AMOUNT (yuan)
                                            the cashier starts that sale first and its outcome shows. Without AMOUNT the
                                            card goes to whatever waits: posctl sale, posctl reader test, a PIN sale
                quit                        stop everything after checking every invariant again
                STUDENT: a number from 'students', a card UID, or a name""");
    }

    private void students() {
        List<Student> all = sim.students();
        for (int i = 0; i < all.size(); i++) {
            Student s = all.get(i);
            Roster.Entry e = Roster.entry(s);
            out.printf("%3d  %-14s %-8s card %s  account %d  ID %s  password %s (default %s)%n", i + 1, s.name(),
                    s.kind().name().toLowerCase(Locale.ROOT), s.uidHex(), s.accountId(), s.nationalId(), s.password(),
                    e.defaultPassword());
        }
    }

    private void tap(String[] w) throws IOException {
        if (w.length < 2) {
            throw new IllegalArgumentException("tap needs a student: tap 3, tap 901F2AA4 or tap 王敏");
        }
        Student s = student(w[1]);
        Window window = sim.windows().get(0);
        Long fen = null;
        for (int i = 2; i < w.length; i++) {
            if (w[i].matches("(?i)T\\d+")) {
                window = window(w[i]);
            } else {
                fen = com.onecard.pos.display.Yuan.parseFen(w[i]);
            }
        }
        if (fen == null) {
            boolean seen = window.present(s);
            out.println(seen ? s.name() + "'s card " + s.uidHex() + " was read at " + window.id()
                    : "the reader at " + window.id() + " did not report the card within 5 s (posctl status shows why)");
            return;
        }
        Outcome o = window.tap(s, fen);
        out.printf("%s  %s %s  %s%n", window.id(), s.name(), com.onecard.pos.display.Yuan.format(fen),
                o.approved() ? "APPROVED " + o.mode() + " seq " + o.seq() : "DECLINED " + o.reason());
    }

    private Window window(String id) {
        return sim.windows().stream().filter(x -> x.id().equalsIgnoreCase(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no window " + id + "; windows: "
                        + String.join(", ", sim.windows().stream().map(Window::id).toList())));
    }

    private Student student(String key) {
        List<Student> all = sim.students();
        if (key.matches("\\d{1,4}")) {
            int n = Integer.parseInt(key);
            if (n < 1 || n > all.size()) {
                throw new IllegalArgumentException("no student " + n + "; there are " + all.size() + " (students lists them)");
            }
            return all.get(n - 1);
        }
        return all.stream().filter(s -> s.uidHex().equalsIgnoreCase(key) || s.name().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no student or card '" + key + "' (students lists them)"));
    }
}
