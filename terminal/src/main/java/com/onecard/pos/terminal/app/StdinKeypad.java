package com.onecard.pos.terminal.app;

import com.onecard.pos.terminal.control.ControlPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A development keypad on standard input (keypad.stdin=true): one line per key sequence.
 * {@code 12.50} starts a card sale, {@code 0} the fixed meal price, {@code q 12.50} a QR sale,
 * {@code p 123456} enters the card password, {@code c} cancels, {@code r} reverses the last sale.
 */
final class StdinKeypad {
    private static final Logger log = LoggerFactory.getLogger(StdinKeypad.class);

    private StdinKeypad() {
    }

    static void start(TerminalApp app, InputStream in) {
        Thread t = new Thread(() -> run(app, in), "keypad");
        t.setDaemon(true);
        t.start();
    }

    private static void run(TerminalApp app, InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String l = line.trim();
                if (l.isEmpty()) {
                    continue;
                }
                app.loop.execute(() -> {
                    String command = command(l);
                    String detail = l.startsWith("p") ? "card password entered" : l;
                    try {
                        apply(app, l);
                        app.audit.record(ControlPeer.KEYPAD, command, detail, "ok");
                    } catch (RuntimeException e) {
                        app.audit.record(ControlPeer.KEYPAD, command, detail, "refused: " + e.getMessage());
                        log.warn("keypad '{}': {}", l.startsWith("p") ? "p ****" : l, e.getMessage());
                    }
                });
            }
        } catch (IOException e) {
            log.debug("keypad input closed: {}", e.getMessage());
        }
    }

    private static String command(String l) {
        return switch (l.charAt(0)) {
            case 'c' -> "cancel";
            case 'r' -> "reverse";
            case 'p' -> "pin";
            default -> "sale";
        };
    }

    private static void apply(TerminalApp app, String l) {
        switch (l.charAt(0)) {
            case 'c' -> app.flow.cancel();
            case 'r' -> app.flow.reverseLast();
            case 'p' -> app.flow.enterPin(l.substring(1).trim());
            case 'q' -> app.flow.beginQr(fen(l.substring(1).trim()));
            default -> app.flow.begin(fen(l), null);
        }
    }

    private static long fen(String yuan) {
        return com.onecard.pos.display.Yuan.parseFen(yuan);
    }
}
