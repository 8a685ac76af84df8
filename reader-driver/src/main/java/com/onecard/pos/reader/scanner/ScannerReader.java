package com.onecard.pos.reader.scanner;

import com.onecard.pos.reader.loop.ReconnectingDevice;
import com.onecard.pos.reader.serial.JSerialCommLink;
import com.onecard.pos.reader.serial.SerialLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Owns one serial QR / barcode scanner on a thread named {@code scanner}: opens the port,
 * delivers each scanned code to the consumer, and reopens the port with exponential backoff
 * (100 ms doubling to 2 s, as the card reader) after it goes missing or the device is unplugged.
 * A partial line left at an unplug is dropped, never glued to the next code.
 * <p>
 * The consumer is called on the scanner thread: it should hand the code over and return. An
 * exception it throws is logged at debug and the reader carries on.
 */
public final class ScannerReader extends ReconnectingDevice<SerialLink> {
    private static final Logger log = LoggerFactory.getLogger(ScannerReader.class);

    /** Opens the scanner's link; called again after every loss. */
    @FunctionalInterface
    public interface LinkFactory {
        SerialLink open() throws IOException;
    }

    private final String port;
    private final LinkFactory factory;
    private final ScannerLineDecoder decoder;
    private final Consumer<String> codes;
    private final LongSupplier nanoTime;
    private volatile long delivered;
    private volatile long overflows;

    /** A scanner on {@code port} at {@code baud} 8N1 with the default line limits. */
    public ScannerReader(String port, int baud, Consumer<String> codes) {
        this(port, () -> JSerialCommLink.open(port, baud), new ScannerLineDecoder(), codes, System::nanoTime);
    }

    public ScannerReader(String port, LinkFactory factory, ScannerLineDecoder decoder, Consumer<String> codes,
                         LongSupplier nanoTime) {
        super("scanner", "scanner on " + port);
        this.port = port;
        this.factory = factory;
        this.decoder = decoder;
        this.codes = codes;
        this.nanoTime = nanoTime;
    }

    public String port() {
        return port;
    }

    public long codesDelivered() {
        return delivered;
    }

    /** Over-long lines dropped. */
    public long overflows() {
        return overflows;
    }

    @Override
    protected SerialLink open() throws IOException {
        return factory.open();
    }

    @Override
    protected void afterSession() {
        decoder.reset();
    }

    @Override
    protected void readUntilLost(SerialLink l) throws IOException {
        byte[] buf = new byte[256];
        // short reads so an idle partial line is flushed close to its gap
        Duration timeout = decoder.idleGap().compareTo(Duration.ofMillis(100)) < 0 ? decoder.idleGap()
                : Duration.ofMillis(100);
        while (running()) {
            int n = l.read(buf, timeout);
            long now = nanoTime.getAsLong();
            deliver(decoder.feed(buf, 0, n, now));
            decoder.flushIfIdle(now).ifPresent(c -> deliver(List.of(c)));
            overflows = decoder.overflows();
        }
    }

    private void deliver(List<String> got) {
        for (String code : got) {
            delivered++;
            log.trace("scanner on {}: code of {} chars", port, code.length());
            try {
                codes.accept(code);
            } catch (RuntimeException e) {
                // a faulty consumer must not kill the scanner thread
                log.debug("scanner consumer threw", e);
            }
        }
    }
}
