package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.pn532.Pn532Frame;
import com.onecard.pos.reader.pn532.Pn532FrameDecoder;
import com.onecard.pos.reader.serial.JSerialCommLink;
import com.onecard.pos.reader.serial.SerialLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A PN532 on the device end of a pty pair, answering over HSU like the real chip: a command
 * counts as received when its last byte would have crossed the line at the configured baud
 * (10 bits a byte), then the ACK goes out, then the chip spends its own time on the command
 * ({@link Pn532Timing}: the RF exchanges with the card, plus an optional firmware allowance), then
 * the response goes out; each frame sent is delayed by its wire time. With MxRtyPassiveActivation
 * 0xFF an InListPassiveTarget listens until a card comes or the host aborts it with an ACK frame
 * (then nothing is answered), looking at the line between two activation attempts. Serves our
 * driver and libnfc's pn532_uart driver.
 * <p>
 * Fault injection for tests: noise in front of frames, corrupted checksums (the next n, or each
 * with a probability), dropped ACKs,
 * delayed responses, a mute (stalled) chip, and {@link #unplug()} / {@link #replug()}. When the
 * pty itself goes away (its socat ended), the emulator keeps trying to reopen the same path, so a
 * new {@link PtyPair} on the same links is found by itself.
 */
public final class Pn532Emulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pn532Emulator.class);
    private static final Duration READ_TIMEOUT = Duration.ofMillis(100);

    private final String path;
    private final int baud;
    private final Pn532Chip chip = new Pn532Chip();
    private final Pn532FrameDecoder decoder = new Pn532FrameDecoder();
    private final Random random = new Random();
    private final Thread thread;
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong aborts = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong emptyPolls = new AtomicLong();
    /** An InListPassiveTarget is listening without end for a card not yet there. */
    private volatile boolean listening;

    private volatile SerialLink link;
    private volatile boolean stopped;
    private volatile boolean unplugged;
    private volatile boolean mute;
    private volatile int noiseBytes;
    private volatile Duration responseDelay = Duration.ZERO;
    private volatile Pn532Timing timing = new Pn532Timing(0);
    /** When the host's bytes read so far have finished crossing the line (System.nanoTime). */
    private long rxLineFreeAt;
    private final AtomicInteger corruptNext = new AtomicInteger();
    private final AtomicInteger dropAcks = new AtomicInteger();
    private final AtomicLong corrupted = new AtomicLong();
    private volatile double corruption;
    private volatile Random corruptionRandom = new Random();
    private byte[] lastResponse;
    /** Frames decoded and not yet handled (a command that came in while the chip listened). */
    private final java.util.ArrayDeque<Pn532Frame> waiting = new java.util.ArrayDeque<>();
    private final byte[] listenBuf = new byte[512];

    /** Opens {@code ptyPath} (the device side of a {@link PtyPair}) and starts answering. */
    public Pn532Emulator(String ptyPath, int baud) throws IOException {
        this.path = ptyPath;
        this.baud = baud;
        this.link = JSerialCommLink.open(ptyPath, baud);
        this.thread = new Thread(this::run, "pn532-emulator");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public String path() {
        return path;
    }

    /** Puts a card on the antenna, replacing any card there. */
    public void place(VirtualCard card) {
        chip.place(card);
    }

    /** Takes the card away. */
    public void remove() {
        chip.place(null);
    }

    public VirtualCard card() {
        return chip.card();
    }

    /** Command frames answered so far. */
    public long commandsHandled() {
        return commands.get();
    }

    /** Bytes a stalled ({@link #setMute muted}) chip received and ignored so far. */
    public long bytesIgnored() {
        return ignored.get();
    }

    /** Commands the host aborted with an ACK frame so far (each answered nothing). */
    public long commandsAborted() {
        return aborts.get();
    }

    /**
     * Waits until the host has seen the field empty since this call: two InListPassiveTarget that found
     * no card (what the daemon's reader loop takes as the card gone) and a listen without end for the
     * next card running, or three empty polls from a host that never listens without end. A tap after
     * it is a new presentation, even of the same card.
     *
     * @return false when {@code timeout} passed first
     */
    public boolean awaitEmptyField(Duration timeout) {
        long e0 = emptyPolls.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long e = emptyPolls.get() - e0;
            if (e >= 2 && listening || e >= 3) {
                return true;
            }
            LockSupport.parkNanos(1_000_000L);
        }
        return false;
    }

    /** Random bytes sent in front of every frame from now on (0 = clean line). */
    public void setNoise(int bytesPerFrame) {
        this.noiseBytes = bytesPerFrame;
    }

    /** The next {@code n} responses go out with a wrong data checksum. */
    public void corruptNextResponses(int n) {
        corruptNext.set(n);
    }

    /**
     * From now on each response goes out with a wrong data checksum with this probability,
     * drawn from a generator seeded with {@code seed} so a run can be repeated.
     */
    public void setCorruption(double probability, long seed) {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("corruption probability must be 0..1, got " + probability);
        }
        this.corruptionRandom = new Random(seed);
        this.corruption = probability;
    }

    /** Responses sent with a wrong checksum so far, by either corruption switch. */
    public long responsesCorrupted() {
        return corrupted.get();
    }

    /** The next {@code n} ACKs are not sent (the responses still are). */
    public void dropNextAcks(int n) {
        dropAcks.set(n);
    }

    /** The chip's own processing times; by default the RF exchanges only (no firmware allowance). */
    public void setTiming(Pn532Timing timing) {
        this.timing = timing;
    }

    /** Extra time between ACK and response, e.g. longer than the host's deadline. */
    public void setResponseDelay(Duration delay) {
        this.responseDelay = delay;
    }

    /**
     * A stalled chip: the port stays open, everything received is ignored, nothing is answered; a
     * listen that was running ends without an answer (before, a command that arrived with the
     * host's abort was taken during the listen and answered although the chip was muted).
     */
    public void setMute(boolean mute) {
        this.mute = mute;
    }

    /** Closes the port and stays away until {@link #replug()}. */
    public void unplug() {
        unplugged = true;
        SerialLink l = link;
        link = null;
        if (l != null) {
            l.close();
        }
    }

    /** Opens the port again, as a chip just powered on (asleep until woken). */
    public void replug() {
        unplugged = false;
    }

    /** Stops answering and closes the port; idempotent. */
    public void stop() {
        stopped = true;
        unplug();
        EmulatedLine.join(thread);
    }

    @Override
    public void close() {
        stop();
    }

    private void run() {
        byte[] buf = new byte[512];
        while (!stopped) {
            SerialLink l = link;
            if (l == null) {
                reopen();
                continue;
            }
            try {
                int n = l.read(buf, READ_TIMEOUT);
                if (n > 0 && !mute) {
                    received(l, buf, n);
                } else if (n > 0) {
                    ignored.addAndGet(n);
                }
            } catch (IOException e) {
                log.debug("emulator port {} lost: {}", path, e.getMessage());
                l.close();
                if (link == l) {
                    link = null;
                }
            }
        }
    }

    private void reopen() {
        if (unplugged) {
            LockSupport.parkNanos(50_000_000L);
            return;
        }
        SerialLink l = EmulatedLine.tryOpen(path, baud);
        if (l != null) {
            decoder.reset();
            chip.reset();
            link = l;
            log.debug("emulator reopened {}", path);
        }
    }

    private void received(SerialLink l, byte[] buf, int n) throws IOException {
        // the host wrote these bytes at once; on a real line the last one arrives n byte-times later
        long now = System.nanoTime();
        rxLineFreeAt = Math.max(now, rxLineFreeAt) + n * byteNanos();
        parkUntil(rxLineFreeAt);
        for (int i = 0; i < n; i++) {
            if (buf[i] == 0x55) {
                chip.wake();
                break;
            }
        }
        waiting.addAll(decoder.feed(buf, 0, n));
        Pn532Frame f;
        while ((f = waiting.poll()) != null) {
            if (mute) {
                waiting.clear();
                return;
            }
            switch (f.kind()) {
                case NACK -> {
                    if (lastResponse != null) {
                        send(l, lastResponse);
                    }
                }
                case DATA -> {
                    if (f.tfi() == Pn532Frame.TFI_HOST) {
                        // a command that came in while the chip listened has crossed the line by now
                        parkUntil(rxLineFreeAt);
                        command(l, f);
                    }
                }
                default -> {
                    // an ACK with no command running: nothing to abort
                }
            }
        }
    }

    /** One byte on the line at the configured baud: 10 bits (UM0701-02 §6.2.3, HSU 8N1). */
    private long byteNanos() {
        return 10L * 1_000_000_000L / baud;
    }

    /**
     * Between two activation attempts of a listen without end: did the host speak? An ACK frame
     * aborts the command (UM0701-02 §6.2): the chip answers nothing to it and waits for the next
     * command, which takes effect once the ACK's 6 bytes have crossed the line. A new command frame
     * ends the listen too (our driver always aborts first; libnfc does the same) and is handled next.
     * Anything else (noise, part of a frame) and the chip listens on.
     */
    private boolean hostSpoke(SerialLink l) throws IOException {
        if (l.available() <= 0) {
            return false;
        }
        int n = l.read(listenBuf, READ_TIMEOUT);
        if (n <= 0) {
            return false;
        }
        long arrived = Math.max(System.nanoTime(), rxLineFreeAt);
        rxLineFreeAt = arrived + n * byteNanos();
        boolean abort = false;
        for (Pn532Frame f : decoder.feed(listenBuf, 0, n)) {
            if (f.kind() == Pn532Frame.Kind.ACK && !abort) {
                abort = true;
                parkUntil(arrived + Pn532Frame.ack().encode().length * byteNanos());
                aborts.incrementAndGet();
            } else if (f.kind() == Pn532Frame.Kind.DATA && f.tfi() == Pn532Frame.TFI_HOST) {
                abort = true;
                waiting.add(f);
            }
        }
        return abort;
    }

    private void command(SerialLink l, Pn532Frame f) throws IOException {
        Pn532Frame response = chip.handle(f);
        if (response == null) {
            return;
        }
        commands.incrementAndGet();
        if (dropAcks.getAndUpdate(v -> Math.max(0, v - 1)) == 0) {
            send(l, Pn532Frame.ack().encode());
        }
        boolean cardAnswered = f.code() == 0x4A ? response.body().length > 0 && response.body()[0] != 0
                : response.body().length > 0 && response.body()[0] != 0x01;
        long start = System.nanoTime();
        long chipNanos = timing.micros(f.code(), f.body(), cardAnswered, chip.activationAttempts()) * 1000L;
        if (f.code() == 0x4A && !cardAnswered) {
            // the chip sends REQA after REQA: a card that enters the field during them answers the next one;
            // with MxRtyPassiveActivation 0xFF it goes on until a card answers or the host aborts
            long attemptNanos = Math.round(Pn532Timing.emptyAttemptUs() * 1000);
            boolean forever = chip.listensForever();
            listening = forever;
            for (long k = 1; forever || k <= chip.activationAttempts(); k++) {
                parkUntil(start + k * attemptNanos);
                if (mute) {
                    listening = false;
                    return; // stalled: the listen ends unanswered, what the host sends next is ignored
                }
                if (forever && hostSpoke(l)) {
                    listening = false;
                    emptyPolls.incrementAndGet();
                    return;
                }
                if (chip.card() != null) {
                    Pn532Frame found = chip.handle(f);
                    if (found != null && found.body().length > 0 && found.body()[0] != 0) {
                        response = found;
                        listening = false;
                        start = System.nanoTime();
                        chipNanos = timing.micros(f.code(), f.body(), true, 1) * 1000L;
                        break;
                    }
                }
            }
        }
        if (f.code() == 0x4A && response.body().length > 0 && response.body()[0] == 0) {
            emptyPolls.incrementAndGet();
        }
        Duration delay = responseDelay;
        parkUntil(start + chipNanos + delay.toNanos());
        byte[] bytes = response.encode();
        lastResponse = bytes.clone();
        double p = corruption;
        if (corruptNext.getAndUpdate(v -> Math.max(0, v - 1)) > 0 || (p > 0 && corruptionRandom.nextDouble() < p)) {
            bytes[bytes.length - 2] ^= 0x5A;
            corrupted.incrementAndGet();
        }
        send(l, bytes);
    }

    private static void parkUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    private void send(SerialLink l, byte[] frame) throws IOException {
        byte[] out = frame;
        int noise = noiseBytes;
        if (noise > 0) {
            out = new byte[noise + frame.length];
            for (int i = 0; i < noise; i++) {
                out[i] = (byte) random.nextInt(256);
            }
            System.arraycopy(frame, 0, out, noise, frame.length);
        }
        EmulatedLine.send(l, out, baud);
    }
}
