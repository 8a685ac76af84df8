package com.onecard.pos.sim.scenario;

import com.onecard.pos.sim.Outcome;
import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Student;
import com.onecard.pos.sim.Window;

import java.io.IOException;
import java.util.List;

/**
 * A window run from its USB keypad (emulated: evdev records into the daemon's keypad device):
 * the cashier types each amount on the keypad, never through the control socket; sales of
 * ¥15.00 or more ask for the card password, which the student types on the same keypad. One
 * student types a wrong password first and is refused PIN_WRONG, then pays with the right one.
 */
final class KeypadWindow implements Scenario {
    /** Sales from this amount on ask for the card password. */
    static final long PIN_FROM_FEN = 1500;

    /** Amounts as the cashier types them, with what each must charge. */
    private record Typed(String keys, long fen) {
    }

    private static final List<Typed> AMOUNTS = List.of(new Typed("12.5", 1250), new Typed("18", 1800),
            new Typed("9.05", 905), new Typed(".5", 50), new Typed("15.", 1500), new Typed("7.80", 780),
            new Typed("16.4\b5", 1650));

    @Override
    public String name() {
        return "keypad";
    }

    @Override
    public void configure(Simulation sim) {
        sim.keypads().terminalSetting("auth.pin.sale-threshold-fen", Long.toString(PIN_FROM_FEN));
    }

    @Override
    public void run(Simulation sim, Settings settings) throws IOException {
        Window w = sim.windows().get(0);
        List<Student> queue = Rush.normal(sim);
        sim.out().printf("%nkeypad: %d students at window %s; the cashier types each amount on the keypad, the student"
                + " types the card password from ¥%.2f on%n", queue.size(), w.id(), PIN_FROM_FEN / 100.0);
        int pinApproved = 0;
        for (int i = 0; i < queue.size(); i++) {
            Student s = queue.get(i);
            Typed t = AMOUNTS.get(i % AMOUNTS.size());
            boolean pin = t.fen() >= PIN_FROM_FEN;
            if (pin && i == 1) {
                Outcome wrong = w.keypadTap(s, t.keys(), wrongPassword(s));
                sim.verdict().check("wrong_keypad_password_refused", !wrong.approved() && wrong.reason().equals("PIN_WRONG"),
                        "a wrong password typed on the keypad was " + (wrong.approved() ? "approved" : wrong.reason()));
                line(sim, s, t, wrong);
            }
            Outcome o = w.keypadTap(s, t.keys(), pin ? s.password() : null);
            line(sim, s, t, o);
            sim.verdict().check("keypad_amount_charged_as_typed", o.amountFen() == t.fen(),
                    "typed '" + t.keys().replace("\b", "<BS>") + "', the sale was for " + o.amountFen() + " fen, not " + t.fen());
            sim.verdict().check("keypad_sale_approved", o.approved(), s.name() + " typed '" + t.keys().replace("\b", "<BS>")
                    + "' and was declined " + o.reason());
            if (pin && o.approved()) {
                pinApproved++;
            }
        }
        sim.verdict().check("card_password_typed_on_the_keypad", pinApproved > 0, "no sale with a card password was approved");
        sim.verdict().figures.put("keypad_keys_sent", w.keypad().keysSent());
        sim.verdict().figures.put("keypad_password_sales", pinApproved);
    }

    private static String wrongPassword(Student s) {
        char last = s.password().charAt(s.password().length() - 1);
        return s.password().substring(0, s.password().length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
    }

    private static void line(Simulation sim, Student s, Typed t, Outcome o) {
        sim.out().printf("  %-10s typed %-10s %9s  %-9s %s%n", s.name(), "'" + t.keys().replace("\b", "<BS>") + "'",
                com.onecard.pos.display.Yuan.format(t.fen()), o.approved() ? "APPROVED" : "DECLINED",
                o.approved() ? o.mode() + " seq " + o.seq() : o.reason());
    }
}
