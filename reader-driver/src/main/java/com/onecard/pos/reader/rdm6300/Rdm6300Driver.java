package com.onecard.pos.reader.rdm6300;

import com.onecard.pos.reader.CardReaderDriver;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.CardTap.CampusRead;
import com.onecard.pos.reader.serial.JSerialCommLink;
import com.onecard.pos.reader.serial.SerialLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * RDM6300 125 kHz (EM4100) reader as a {@link CardReaderDriver}. The module cannot be
 * commanded: it repeats a frame about every 65 ms while a tag is in the field and is silent
 * otherwise, so {@link #poll} listens instead of asking.
 * <p>
 * A tag counts as present from its second matching frame (the XOR checksum misses two flips in
 * the same bit column, so one frame alone is not trusted) until no frame for it has come for
 * {@link #PRESENCE_TIMEOUT}; {@link com.onecard.pos.reader.loop.ReaderLoop} turns that into one
 * tap per presentation. The tap carries the 5 data bytes as UID, ATQA and SAK 0 and
 * {@link CampusRead#NOT_ATTEMPTED}: 125 kHz tags hold no campus sector, so a terminal with
 * {@code reader.require-credential=true} refuses them by design.
 * <p>
 * A silent module looks like an empty field, so loss is seen only when the port itself goes
 * away ({@link com.onecard.pos.reader.serial.ReaderDisconnectedException} from the link).
 */
public final class Rdm6300Driver implements CardReaderDriver {
    private static final Logger log = LoggerFactory.getLogger(Rdm6300Driver.class);
    public static final int DEFAULT_BAUD = 9600;
    /** About three missed repeats: a tag shifted in the hand still counts as the same presentation. */
    public static final Duration PRESENCE_TIMEOUT = Duration.ofMillis(200);
    static final int CONFIRM_FRAMES = 2;
    /** One read per poll: short enough to keep ReaderLoop's removal check lively. */
    private static final Duration READ_TIMEOUT = Duration.ofMillis(50);
    private static final byte[] NO_DATA = new byte[0];

    private final SerialLink link;
    private final LongSupplier nanoTime;
    private final Rdm6300FrameDecoder decoder = new Rdm6300FrameDecoder();
    private final byte[] buf = new byte[64];
    private byte[] candidate;
    private int candidateFrames;
    private byte[] present;
    private long lastFrameNanos;
    private long implausible;

    /** @param nanoTime monotonic clock for presence timing; tests pass a fake one */
    public Rdm6300Driver(SerialLink link, LongSupplier nanoTime) {
        this.link = link;
        this.nanoTime = nanoTime;
    }

    /**
     * Opens {@code port} at {@code baud} 8N1 ({@link #DEFAULT_BAUD} on the module).
     *
     * @throws IOException naming the port when it is missing or cannot be opened
     */
    public static Rdm6300Driver open(String port, int baud) throws IOException {
        return new Rdm6300Driver(JSerialCommLink.open(port, baud), System::nanoTime);
    }

    @Override
    public String port() {
        return link.port();
    }

    @Override
    public String firmware() {
        // the module has no command set to ask for a version
        return "RDM6300";
    }

    @Override
    public long errors() {
        return decoder.dropped();
    }

    @Override
    public long implausible() {
        return implausible;
    }

    @Override
    public Optional<CardTap> poll(byte[] presentUid, Instant now) throws IOException {
        int n = link.read(buf, READ_TIMEOUT);
        long t = nanoTime.getAsLong();
        for (Rdm6300Frame f : decoder.feed(buf, 0, n)) {
            onFrame(f.data(), t);
        }
        if (present != null && t - lastFrameNanos > PRESENCE_TIMEOUT.toNanos()) {
            log.trace("{}: tag {} gone", port(), new Rdm6300Frame(present).hex());
            present = null;
        }
        if (candidate != null && t - lastFrameNanos > PRESENCE_TIMEOUT.toNanos()) {
            candidate = null;
        }
        return present == null ? Optional.empty()
                : Optional.of(new CardTap(present.clone(), 0, 0, CampusRead.NOT_ATTEMPTED, NO_DATA, now));
    }

    private void onFrame(byte[] data, long t) {
        String why = com.onecard.pos.reader.Plausibility.rdm6300(data);
        if (why != null) {
            // a phantom neither starts a presentation nor keeps one alive
            implausible++;
            log.debug("{}: dropped RDM6300 frame {}: {}", port(), new Rdm6300Frame(data).hex(), why);
            return;
        }
        lastFrameNanos = t;
        if (present != null && Arrays.equals(present, data)) {
            return;
        }
        if (candidate != null && Arrays.equals(candidate, data)) {
            candidateFrames++;
        } else {
            candidate = data;
            candidateFrames = 1;
        }
        if (candidateFrames >= CONFIRM_FRAMES) {
            present = candidate;
            candidate = null;
            log.trace("{}: tag {} present", port(), new Rdm6300Frame(present).hex());
        }
    }

    @Override
    public void close() {
        link.close();
    }
}
