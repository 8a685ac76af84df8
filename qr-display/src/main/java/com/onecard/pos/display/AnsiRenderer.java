package com.onecard.pos.display;

import com.onecard.pos.qr.encode.QrMatrix;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Draws screens on a text terminal (a serial console or an ssh session). The QR code uses
 * half blocks, two module rows per text line, with black-on-white forced so a dark terminal
 * theme does not invert the code; the quiet zone is drawn too. Output is UTF-8 bytes whatever
 * the PrintStream's own charset.
 */
public final class AnsiRenderer implements ScreenRenderer {
    private static final String ESC = "\u001b[";
    private static final String CLEAR = ESC + "H" + ESC + "2J";
    private static final String QR_COLOURS = ESC + "38;5;16;48;5;231m";
    private static final String RESET = ESC + "0m";
    private static final String STATUS_COLOURS = ESC + "97;44m";

    private final PrintStream out;
    private final QrCache qr = new QrCache(com.onecard.pos.qr.encode.QrEncoder.Level.M);

    public AnsiRenderer(PrintStream out) {
        this.out = out;
    }

    @Override
    public void render(Screen screen) {
        byte[] bytes = compose(screen, true).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.flush();
    }

    /** The screen as plain text (no escape codes), QR included: for logs and tests. */
    public String toText(Screen screen) {
        return compose(screen, false);
    }

    private String compose(Screen screen, boolean ansi) {
        ScreenText text = ScreenText.of(screen);
        StringBuilder sb = new StringBuilder(4096);
        if (ansi) {
            sb.append(CLEAR).append(STATUS_COLOURS);
        }
        sb.append(StatusLine.format(screen.status()));
        sb.append(ansi ? RESET + "\n" : "\n");
        if (text.qrPayload() != null) {
            appendQr(sb, qr.matrix(text.qrPayload()), ansi);
        }
        sb.append(text.headline()).append('\n');
        for (String line : text.lines()) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    static void appendQr(StringBuilder sb, QrMatrix m, boolean ansi) {
        int size = m.size();
        for (int y = 0; y < size; y += 2) {
            if (ansi) {
                sb.append(QR_COLOURS);
            }
            for (int x = 0; x < size; x++) {
                boolean top = m.dark(x, y);
                // An odd last row pairs with a light row below: more quiet zone, never less.
                boolean bottom = y + 1 < size && m.dark(x, y + 1);
                sb.append(top ? (bottom ? '█' : '▀') : (bottom ? '▄' : ' '));
            }
            sb.append(ansi ? RESET + "\n" : "\n");
        }
    }
}
