package com.onecard.pos.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.sim.app.StudentApp;
import com.onecard.pos.sim.reader.KeypadEmulator;
import com.onecard.pos.sim.reader.Pn532Emulator;
import com.onecard.pos.sim.reader.VirtualCard;
import com.onecard.pos.sim.reader.PtyPair;
import com.onecard.pos.sim.reader.ScannerEmulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * One canteen window: a real terminal daemon, the PN532 emulator and the QR scanner emulator
 * on their own pty pairs, and the queue in front of it. One student at a time: every sale at a window is serialized.
 */
public final class Window implements AutoCloseable {
    private final Simulation sim;
    private final String id;
    private final Path hostLink;
    private final Path deviceLink;
    private final Pn532Emulator emulator;
    private final KeypadEmulator keypad;
    private final PtyPair scannerPty;
    private final ScannerEmulator scanner;
    private final TerminalProcess terminal;
    private volatile PtyPair pty;

    Window(Simulation sim, String id, PtyPair pty, Pn532Emulator emulator, KeypadEmulator keypad, PtyPair scannerPty,
           ScannerEmulator scanner, TerminalProcess terminal) {
        this.sim = sim;
        this.id = id;
        this.pty = pty;
        this.hostLink = pty.host();
        this.deviceLink = pty.device();
        this.emulator = emulator;
        this.keypad = keypad;
        this.scannerPty = scannerPty;
        this.scanner = scanner;
        this.terminal = terminal;
    }

    public String id() {
        return id;
    }

    public TerminalProcess terminal() {
        return terminal;
    }

    public Pn532Emulator emulator() {
        return emulator;
    }

    /** One card sale: the cashier keys the amount (0 = the period's fixed price), the student taps, takes the card away. */
    public synchronized Outcome tap(Student s, long amountFen) throws IOException {
        JsonNode sale = terminal.call("sale", "amount_fen", amountFen);
        if (!sale.path("ok").asBoolean()) {
            throw new IOException("terminal " + id + " refused a sale: " + sale.path("error").asText());
        }
        String saleId = sale.path("sale_id").asText();
        emulator.place(sim.card(s));
        JsonNode res;
        try {
            res = terminal.call("await", "sale_id", saleId, "timeout_ms", 10_000);
        } finally {
            emulator.remove();
        }
        emulator.awaitEmptyField(java.time.Duration.ofSeconds(2));
        if (!res.path("ok").asBoolean()) {
            cancelQuietly();
            throw new IOException("sale " + saleId + " at " + id + " for " + s.name() + " not decided: " + res.path("error").asText());
        }
        return sim.record(this, s, saleId, res.path("outcome"));
    }

    /** The window's emulated keypad, or null when the simulation has none ({@link Simulation#keypads}). */
    public KeypadEmulator keypad() {
        return keypad;
    }

    /** The window's emulated QR/barcode scanner, or null when the simulation has none ({@link Simulation#scanners}). */
    public ScannerEmulator scanner() {
        return scanner;
    }

    /**
     * A card sale entered the way a cashier and a student do at a window with a keypad: the
     * cashier types the amount and Enter on the keypad (no control socket), the student taps,
     * and when the terminal asks for the card password the student types it and Enter.
     *
     * @param amount   keys as typed, e.g. "12.5" ("" = the period's fixed price)
     * @param password what the student types when asked, or null when no password is expected
     * @throws IOException the window has no keypad, or the terminal did not reach the expected step
     */
    public synchronized Outcome keypadTap(Student s, String amount, String password) throws IOException {
        if (keypad == null) {
            throw new IOException("window " + id + " has no keypad");
        }
        keypad.type(amount + "\n");
        String saleId = awaitSaleState("WAIT_CARD", null);
        emulator.place(sim.card(s));
        JsonNode res;
        try {
            if (password != null) {
                awaitSaleState("WAIT_PIN", saleId);
                keypad.type(password + "\n");
            }
            res = terminal.call("await", "sale_id", saleId, "timeout_ms", 10_000);
        } finally {
            emulator.remove();
        }
        emulator.awaitEmptyField(java.time.Duration.ofSeconds(2));
        if (!res.path("ok").asBoolean()) {
            cancelQuietly();
            throw new IOException("keypad sale " + saleId + " at " + id + " for " + s.name() + " not decided: "
                    + res.path("error").asText());
        }
        return sim.record(this, s, saleId, res.path("outcome"));
    }

    /** Polls status until the sale ({@code saleId}, or any when null) is in {@code state}; returns its id. */
    private String awaitSaleState(String state, String saleId) throws IOException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        JsonNode s = null;
        while (System.nanoTime() < deadline) {
            s = terminal.call("status");
            String current = s.path("sale_id").asText("");
            if (s.path("sale_state").asText().equals(state) && !current.isEmpty() && (saleId == null || saleId.equals(current))) {
                return current;
            }
            TerminalProcess.pause(10);
        }
        cancelQuietly();
        throw new IOException("window " + id + ": the sale " + (saleId == null ? "typed on the keypad" : saleId)
                + " did not reach " + state + " within 5 s; last state " + (s == null ? "?" : s.path("sale_state").asText()));
    }

    /**
     * The student lays the card on the reader and takes it away once the reader has reported it:
     * whatever waits for a card (a sale started with posctl, posctl reader test) gets it.
     *
     * @return true when the reader reported the card within 5 s
     */
    public synchronized boolean present(Student s) throws IOException {
        long before = terminal.probe("status").path("reader").path("taps").asLong();
        emulator.place(sim.card(s));
        boolean seen = false;
        try {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!seen && System.nanoTime() < deadline) {
                seen = terminal.probe("status").path("reader").path("taps").asLong() > before;
                if (!seen) {
                    TerminalProcess.pause(20);
                }
            }
        } finally {
            emulator.remove();
        }
        emulator.awaitEmptyField(java.time.Duration.ofSeconds(2));
        return seen;
    }

    /**
     * A sale with any card (a test's forged or copied one): the cashier keys the amount, the card is
     * presented and taken away; returns the daemon's outcome, not recorded in the verdict.
     */
    public synchronized JsonNode sale(VirtualCard card, long amountFen) throws IOException {
        JsonNode sale = terminal.call("sale", "amount_fen", amountFen);
        if (!sale.path("ok").asBoolean()) {
            throw new IOException("terminal " + id + " refused a sale: " + sale.path("error").asText());
        }
        emulator.place(card);
        JsonNode res;
        try {
            res = terminal.call("await", "sale_id", sale.path("sale_id").asText(), "timeout_ms", 10_000);
        } finally {
            emulator.remove();
        }
        emulator.awaitEmptyField(java.time.Duration.ofSeconds(2));
        if (!res.path("ok").asBoolean()) {
            cancelQuietly();
            throw new IOException("sale at " + id + " not decided: " + res.path("error").asText());
        }
        return res.path("outcome");
    }

    /**
     * 支付码: the cashier keys the amount, the student shows the phone's payment code and the
     * window's scanner reads it; the terminal decides offline.
     */
    public synchronized Outcome paycode(Student s, String code, long amountFen) throws IOException {
        JsonNode sale = terminal.call("sale", "amount_fen", amountFen);
        if (!sale.path("ok").asBoolean()) {
            throw new IOException("terminal " + id + " refused a sale: " + sale.path("error").asText());
        }
        String saleId = sale.path("sale_id").asText();
        if (scanner == null) {
            terminal.call("cancel");
            throw new IOException("window " + id + " has no scanner (Simulation.scanners())");
        }
        scanner.scan(code);
        JsonNode res = terminal.call("await", "sale_id", saleId, "timeout_ms", 10_000);
        if (!res.path("ok").asBoolean()) {
            cancelQuietly();
            throw new IOException("payment-code sale " + saleId + " at " + id + " for " + s.name() + " not decided: "
                    + res.path("error").asText());
        }
        return sim.record(this, s, saleId, res.path("outcome"));
    }

    /**
     * Scan-to-pay: the cashier starts a QR sale, the student's phone photographs the customer
     * display, decodes the code and pays through the app API; the terminal learns it from the center.
     *
     * @return the outcome, or null when the app refused the payment (the sale is cancelled)
     */
    public synchronized Outcome qr(Student s, long amountFen, StudentApp app) throws IOException {
        JsonNode sale = terminal.call("sale", "amount_fen", amountFen, "qr", true);
        if (!sale.path("ok").asBoolean()) {
            throw new IOException("terminal " + id + " refused a QR sale: " + sale.path("error").asText());
        }
        String saleId = sale.path("sale_id").asText();
        String payload = photograph(saleId);
        JsonNode paid = app.pay(payload, s.password());
        if (paid.path("http_status").asInt() != 200) {
            cancelQuietly();
            sim.note("QR sale " + saleId + " at " + id + " for " + s.accountId() + " refused by the app: " + paid.path("code").asText()
                    + " (" + paid.path("error").asText() + ")");
            return null;
        }
        JsonNode res = terminal.call("await", "sale_id", saleId, "timeout_ms", 10_000);
        if (!res.path("ok").asBoolean()) {
            cancelQuietly();
            throw new IOException("QR sale " + saleId + " at " + id + " paid but not decided: " + res.path("error").asText());
        }
        return sim.record(this, s, saleId, res.path("outcome"));
    }

    /** The phone's camera: the customer display as a PNG, decoded until it shows a code. */
    private String photograph(String saleId) throws IOException {
        Path png = terminal.dir().resolve("screen-" + Thread.currentThread().getId() + ".png");
        long deadline = System.nanoTime() + 3_000_000_000L;
        IOException last = null;
        while (System.nanoTime() < deadline) {
            JsonNode screen = terminal.call("screen");
            if (screen.path("ok").asBoolean() && !screen.path("png_base64").asText().isEmpty()) {
                Files.write(png, Base64.getDecoder().decode(screen.path("png_base64").asText()));
                try {
                    return StudentApp.scan(png);
                } catch (IOException e) {
                    last = e;
                }
            }
            TerminalProcess.pause(50);
        }
        cancelQuietly();
        throw new IOException("no QR code on the display of " + id + " for sale " + saleId
                + (last == null ? "" : ": " + last.getMessage()));
    }

    private void cancelQuietly() {
        try {
            terminal.call("cancel");
        } catch (IOException e) {
            sim.note("cancel at " + id + " failed: " + e.getMessage());
        }
    }

    /**
     * The reader's cable pulled and put back: socat ends (the links vanish), a new pair comes up
     * on the same paths; the emulator and the daemon's reader find it by themselves.
     */
    public synchronized void replug(Duration away) throws IOException {
        pty.close();
        TerminalProcess.pause(away.toMillis());
        pty = PtyPair.start(hostLink, deviceLink);
    }

    /** Waits until the daemon reports its reader OK again. */
    public boolean awaitReader(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (terminal.probe("status").path("reader").path("state").asText().equals("OK")) {
                    return true;
                }
            } catch (IOException e) {
                // the daemon may be restarting
            }
            TerminalProcess.pause(100);
        }
        return false;
    }


    @Override
    public void close() {
        terminal.close();
        emulator.close();
        if (keypad != null) {
            keypad.close();
        }
        if (scanner != null) {
            scanner.close();
            scannerPty.close();
        }
        pty.close();
    }
}
