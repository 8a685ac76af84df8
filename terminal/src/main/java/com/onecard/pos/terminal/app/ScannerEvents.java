package com.onecard.pos.terminal.app;

import com.onecard.pos.terminal.sale.ScannedCode;
import com.onecard.pos.terminal.sale.ScannedCodeConsumer;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * The sale's entry from the QR / barcode scanner: each code becomes a {@link ScannedCode}
 * stamped on arrival and goes to the consumer on the terminal thread. Called on the scanner thread.
 */
final class ScannerEvents implements Consumer<String> {
    private final TerminalLoop loop;
    private final Clock clock;
    private final ScannedCodeConsumer consumer;

    ScannerEvents(TerminalLoop loop, Clock clock, ScannedCodeConsumer consumer) {
        this.loop = loop;
        this.clock = clock;
        this.consumer = consumer;
    }

    @Override
    public void accept(String text) {
        if (text.isEmpty()) {
            return;
        }
        ScannedCode code = new ScannedCode(text, clock.instant());
        loop.execute(() -> consumer.onScannedCode(code));
    }
}
