package com.onecard.pos.sim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The window's serial scanner (emulated on its own pty pair) reads a product barcode first: the
 * daemon must take it from the scanner to the sale side, which counts it as not a payment code.
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
        sim.keypads().scanners().terminalSetting("auth.pin.sale-threshold-fen", Long.toString(PIN_FROM_FEN));
    }

    @Override
    public void run(Simulation sim, Settings settings) throws IOException {
        Window w = sim.windows().get(0);
        List<Student> queue = Rush.normal(sim);
        sim.out().printf("%nkeypad: %d students at window %s; the cashier types each amount on the keypad, the student"
                + " types the card password from ¥%.2f on%n", queue.size(), w.id(), PIN_FROM_FEN / 100.0);
        scanBarcode(sim, w);
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

    /** A product's EAN-13 read by the window's scanner while no sale is on: it reaches the daemon's sale side. */
    private static void scanBarcode(Simulation sim, Window w) throws IOException {
        JsonNode st = awaitStatus(w, s -> s.path("scanner").path("state").asText().equals("OK"));
        sim.verdict().check("scanner_connected", st != null, "the daemon's scanner never came up: " + lastStatus(w));
        w.scanner().scan("6901234567892");
        st = awaitStatus(w, s -> s.path("scanner").path("not_payment_codes").asLong() == 1);
        sim.verdict().check("scanned_code_reached_the_sale_side", st != null && st.path("scanner").path("codes").asLong() == 1,
                "one barcode scanned; the daemon's scanner status: " + lastStatus(w));
        sim.out().printf("  scanner    read 6901234567892 (a product barcode): %s%n",
                st == null ? "NOT RECEIVED" : "received, refused as not a payment code");
    }

    private static JsonNode awaitStatus(Window w, java.util.function.Predicate<JsonNode> ok) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode s = w.terminal().call("status");
            if (ok.test(s)) {
                return s;
            }
            Rush.pause(50);
        }
        return null;
    }

    private static String lastStatus(Window w) throws IOException {
        return w.terminal().call("status").path("scanner").toString();
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
