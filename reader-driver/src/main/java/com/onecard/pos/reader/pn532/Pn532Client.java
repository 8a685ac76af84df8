package com.onecard.pos.reader.pn532;

import com.onecard.pos.reader.serial.SerialLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;

/**
 * PN532 command layer over a {@link SerialLink}: one command in flight, each with an ACK wait
 * and a response deadline.
 * <ul>
 *   <li>no ACK in time: the command is sent again (twice at most);</li>
 *   <li>a response without an ACK in front is accepted;</li>
 *   <li>a corrupted frame while a response is due: NACK asks the chip to send it again;</li>
 *   <li>no response in time: the command is aborted with an ACK frame and
 *       {@link Pn532TimeoutException} is thrown;</li>
 *   <li>a listen ({@link #listPassiveTarget(Duration)}) that no card answered in its time is
 *       aborted with an ACK frame and comes back empty: no error;</li>
 *   <li>after an abort, an answer that arrives before the next command's ACK is the aborted
 *       command's (the chip had sent it before the ACK reached it): dropped and counted, the
 *       next command gets its own answer;</li>
 *   <li>responses to other (aborted, resent) commands are dropped and counted.</li>
 * </ul>
 * Blocks the calling thread; {@link com.onecard.pos.reader.serial.ReaderDisconnectedException}
 * passes through when the port goes away.
 */
public final class Pn532Client {
    private static final Logger log = LoggerFactory.getLogger(Pn532Client.class);

    public static final int DIAGNOSE = 0x00;
    public static final int GET_FIRMWARE_VERSION = 0x02;
    public static final int SAM_CONFIGURATION = 0x14;
    public static final int RF_CONFIGURATION = 0x32;
    public static final int IN_DATA_EXCHANGE = 0x40;
    public static final int IN_LIST_PASSIVE_TARGET = 0x4A;
    public static final int IN_RELEASE = 0x52;

    public static final int MIFARE_AUTH_A = 0x60;
    public static final int MIFARE_AUTH_B = 0x61;
    public static final int MIFARE_READ = 0x30;
    public static final int STATUS_OK = 0x00;
    public static final int STATUS_TIMEOUT = 0x01;
    public static final int STATUS_AUTH_ERROR = 0x14;

    /** HSU wake-up: 55 55 then at least 14 zero bytes (UM0701 §7.2.11). */
    private static final byte[] WAKE_UP = new byte[24];

    static {
        WAKE_UP[0] = 0x55;
        WAKE_UP[1] = 0x55;
    }

    private static final byte[] LIST_ONE_TYPE_A = {0x01, 0x00};
    private static final int MAX_RESENDS = 2;
    private static final int MAX_NACKS = 2;

    private final SerialLink link;
    private final Duration ackTimeout;
    private final Duration responseTimeout;
    private final Pn532FrameDecoder decoder = new Pn532FrameDecoder();
    private final ArrayDeque<Pn532Frame> inbox = new ArrayDeque<>();
    private final byte[] readBuf = new byte[512];
    private long protocolErrors;
    /** An ACK frame aborted the last command: until the next command's ACK, an answer is the aborted one's. */
    private boolean abortOutstanding;

    /** Defaults: 100 ms for the ACK (USB-UART bridges add latency), 1 s for the response. */
    public Pn532Client(SerialLink link) {
        this(link, Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    public Pn532Client(SerialLink link, Duration ackTimeout, Duration responseTimeout) {
        this.link = link;
        this.ackTimeout = ackTimeout;
        this.responseTimeout = responseTimeout;
    }

    public String port() {
        return link.port();
    }

    /** Bad frames dropped plus missing ACKs, NACKs sent, late responses and timeouts. */
    public synchronized long errors() {
        return decoder.dropped() + protocolErrors;
    }

    /** Wakes the chip from low-power mode and puts the SAM in normal mode. */
    public synchronized void wakeUp() throws IOException {
        execute(SAM_CONFIGURATION, new byte[]{0x01}, responseTimeout, WAKE_UP);
    }

    /** E.g. "PN532 v1.6". */
    public synchronized String firmwareVersion() throws IOException {
        byte[] r = execute(GET_FIRMWARE_VERSION, new byte[0], responseTimeout, null);
        if (r.length < 4) {
            throw new Pn532Exception("GetFirmwareVersion answer too short on " + port() + ": " + r.length + " bytes");
        }
        return String.format("PN5%02X v%d.%d", r[0] & 0xFF, r[1] & 0xFF, r[2] & 0xFF);
    }

    /**
     * RFConfiguration item 05: how often the chip retries passive activation. A small value
     * makes InListPassiveTarget return "no card" quickly instead of waiting forever.
     */
    public synchronized void setPassiveActivationRetries(int retries) throws IOException {
        execute(RF_CONFIGURATION, new byte[]{0x05, (byte) 0xFF, 0x01, (byte) retries}, responseTimeout, null);
    }

    /**
     * RFConfiguration item 01: switch the RF field on or off. Another client (libnfc switches the
     * field off and powers the chip down when it closes) may have left it off.
     */
    public synchronized void rfField(boolean on) throws IOException {
        execute(RF_CONFIGURATION, new byte[]{0x01, (byte) (on ? 0x01 : 0x00)}, responseTimeout, null);
    }

    /** InListPassiveTarget, one target, 106 kbps type A. Selects the card (also after a failed auth). */
    public synchronized Optional<Pn532Target> listPassiveTarget() throws IOException {
        byte[] r = execute(IN_LIST_PASSIVE_TARGET, LIST_ONE_TYPE_A, responseTimeout, null);
        return Optional.ofNullable(Pn532Target.parse(r));
    }

    /**
     * InListPassiveTarget on a chip that listens until a card answers (MxRtyPassiveActivation 0xFF,
     * UM0701-02 §7.3.1): waits up to {@code listen} for the answer, then aborts the command with an
     * ACK frame (UM0701-02 §6.2: the host may abort the command in progress by sending an ACK; the
     * chip answers nothing to it and waits for the next command) and returns empty. The chip that
     * does not acknowledge the command still fails as {@link Pn532TimeoutException} after {@code listen}.
     */
    public synchronized Optional<Pn532Target> listPassiveTarget(Duration listen) throws IOException {
        byte[] r = execute(IN_LIST_PASSIVE_TARGET, LIST_ONE_TYPE_A, listen, null, true);
        return r == null ? Optional.empty() : Optional.ofNullable(Pn532Target.parse(r));
    }

    /** MIFARE Classic authentication of {@code block}'s sector; returns the PN532 status (0 = ok, 0x14 = refused). */
    public synchronized int mifareAuthenticate(Pn532Target target, int block, boolean keyB, byte[] key) throws IOException {
        if (key.length != 6) {
            throw new IllegalArgumentException("MIFARE key must be 6 bytes");
        }
        byte[] p = new byte[2 + 6 + 4];
        p[0] = (byte) (keyB ? MIFARE_AUTH_B : MIFARE_AUTH_A);
        p[1] = (byte) block;
        System.arraycopy(key, 0, p, 2, 6);
        System.arraycopy(target.authUid(), 0, p, 8, 4);
        return exchange(target, p).status();
    }

    /** Reads one 16-byte block; status 0 with 16 bytes of data on success. */
    public synchronized ExchangeResult mifareRead(Pn532Target target, int block) throws IOException {
        ExchangeResult r = exchange(target, new byte[]{(byte) MIFARE_READ, (byte) block});
        if (r.status() == STATUS_OK && r.data().length != 16) {
            throw new Pn532Exception("MIFARE read of block " + block + " on " + port() + " returned "
                    + r.data().length + " bytes");
        }
        return r;
    }

    /** InDataExchange with the card; the status byte's low 6 bits are the error code. */
    public synchronized ExchangeResult exchange(Pn532Target target, byte[] data) throws IOException {
        byte[] p = new byte[data.length + 1];
        p[0] = (byte) target.tg();
        System.arraycopy(data, 0, p, 1, data.length);
        byte[] r = execute(IN_DATA_EXCHANGE, p, responseTimeout, null);
        if (r.length < 1) {
            throw new Pn532Exception("InDataExchange answer without status on " + port());
        }
        return new ExchangeResult(r[0] & 0x3F, Arrays.copyOfRange(r, 1, r.length));
    }

    /** InRelease; tg 0 releases all targets. Returns the status. */
    public synchronized int release(int tg) throws IOException {
        byte[] r = execute(IN_RELEASE, new byte[]{(byte) tg}, responseTimeout, null);
        return r.length > 0 ? r[0] & 0x3F : STATUS_OK;
    }

    /**
     * Sends one command and returns its response data (after the response code).
     *
     * @param prefix bytes sent in front of the first frame (wake-up preamble), or null
     */
    public synchronized byte[] execute(int code, byte[] params, Duration timeout, byte[] prefix) throws IOException {
        return execute(code, params, timeout, prefix, false);
    }

    /**
     * @param listening an acknowledged command still running at {@code timeout} is aborted and null returned
     *                  (instead of {@link Pn532TimeoutException})
     */
    private byte[] execute(int code, byte[] params, Duration timeout, byte[] prefix, boolean listening) throws IOException {
        byte[] frame = Pn532Frame.command(code, params).encode();
        // anything still queued belongs to an earlier, finished or aborted command
        inbox.clear();
        long t0 = System.nanoTime();
        link.write(prefix == null ? frame : concat(prefix, frame));
        long ackDeadline = t0 + ackTimeout.toNanos();
        long responseDeadline = t0 + timeout.toNanos();
        boolean acked = false;
        int resends = 0;
        int nacks = 0;
        long dropsHandled = decoder.dropped();
        while (true) {
            Pn532Frame f = nextFrame(acked ? responseDeadline : Math.min(ackDeadline, responseDeadline), dropsHandled);
            if (f == null) {
                long now = System.nanoTime();
                boolean newDrops = decoder.dropped() > dropsHandled;
                dropsHandled = decoder.dropped();
                if (acked && newDrops && nacks < MAX_NACKS && now < responseDeadline) {
                    nacks++;
                    protocolErrors++;
                    log.trace("{}: corrupted response to {}, sending NACK", port(), hex(code));
                    link.write(Pn532Frame.nack().encode());
                } else if (!acked && now >= ackDeadline && resends < MAX_RESENDS && now < responseDeadline) {
                    resends++;
                    protocolErrors++;
                    log.trace("{}: no ACK for {}, resending", port(), hex(code));
                    link.write(frame);
                    ackDeadline = now + ackTimeout.toNanos();
                } else if (now >= responseDeadline) {
                    link.write(Pn532Frame.ack().encode());
                    abortOutstanding = true;
                    if (listening && acked) {
                        return null;
                    }
                    protocolErrors++;
                    throw new Pn532TimeoutException("PN532 on " + port() + " did not " + (acked ? "answer" : "acknowledge")
                            + " command " + hex(code) + " within " + (now - t0) / 1_000_000 + " ms");
                }
                continue;
            }
            switch (f.kind()) {
                case ACK -> {
                    acked = true;
                    abortOutstanding = false;
                }
                case NACK -> log.trace("{}: unexpected NACK from chip", port());
                case ERROR -> {
                    protocolErrors++;
                    throw new Pn532Exception("PN532 on " + port() + " reported a syntax error for command " + hex(code)
                            + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                }
                case DATA -> {
                    if (f.isResponseTo(code) && !(abortOutstanding && !acked)) {
                        return f.body();
                    }
                    protocolErrors++;
                    log.trace("{}: dropped stray frame {} while waiting for {}", port(), f, hex(code));
                }
            }
        }
    }

    /** Next decoded frame, or null when {@code deadline} passed or frames beyond {@code dropped} were dropped. */
    private Pn532Frame nextFrame(long deadline, long dropped) throws IOException {
        while (inbox.isEmpty()) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || decoder.dropped() > dropped) {
                return null;
            }
            int n = link.read(readBuf, Duration.ofNanos(Math.max(remaining, 1_000_000)));
            if (n > 0) {
                inbox.addAll(decoder.feed(readBuf, 0, n));
            } else if (decoder.inFrame()) {
                // the sender went quiet in mid-frame: it was no frame (noise with a false start code)
                inbox.addAll(decoder.abandonPartial());
            }
        }
        return inbox.poll();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String hex(int code) {
        return String.format("0x%02X", code);
    }

    /** Outcome of InDataExchange: status (0 = ok) and the card's answer. */
    public record ExchangeResult(int status, byte[] data) {
    }
}
