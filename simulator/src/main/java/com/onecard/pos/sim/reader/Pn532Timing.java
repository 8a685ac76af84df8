package com.onecard.pos.sim.reader;

/**
 * How long a PN532 takes over a command besides the serial line, for the emulator to wait as the
 * chip would. Sources (BENCHMARKS.md lists them beside the figures):
 * <ul>
 * <li>Serial line: NXP UM0701-02 (PN532 user manual) §6.2.3, HSU: 8 data bits, 1 start, 1 stop,
 * no parity, so 10 bit times a byte (86.8 µs at 115 200 baud, the manual's own table); applied by
 * {@link EmulatedLine} both ways.</li>
 * <li>RF: the PN532 product data sheet gives ISO/IEC 14443A reader mode at 106 kbit/s; frame
 * timing is ISO/IEC 14443-3's: one bit is 128/fc (fc = 13.56 MHz, 9.44 µs), a byte 9 bits with
 * its parity, a frame adds start and end; the card answers a frame delay time (n·128+84)/fc with
 * n = 9 (91.2 µs) after the reader's frame, and the reader waits at least 1172/fc (86.4 µs) after
 * the card's frame before its next one.</li>
 * <li>MIFARE Classic exchanges: AUTH (4 bytes) → nT (4), {nR aR} (8) → aT (4); READ (4) →
 * 16 data bytes + CRC (18).</li>
 * <li>Anticollision of a 4-byte UID: REQA (7-bit short frame) → ATQA (2), ANTICOLLISION (2) →
 * UID + BCC (5), SELECT (9) → SAK + CRC (3). Without a card each activation attempt is a REQA and
 * the wait for an ATQA that does not come (FDT + an ATQA's length), repeated MxRtyPassiveActivation
 * + 1 times (RFConfiguration item 05, UM0701-02 §7.3.1).</li>
 * <li>Firmware time (the 80C51 parsing a frame, driving the CIU): neither document gives a typical
 * figure; UM0701-02 §6.2.3 only bounds the ACK at 15 ms. It is {@code firmwareMicros} per
 * command, 0 by default, so the figures are a lower bound on the chip's share, and a bench option
 * shows how a tap moves with it.</li>
 * </ul>
 */
public final class Pn532Timing {
    static final double FC_HZ = 13.56e6;
    /** One bit at 106 kbit/s: 128/fc. */
    static final double BIT_US = 128 / FC_HZ * 1e6;
    /** Card's frame delay time after the reader's frame (last bit 1): (9·128+84)/fc. */
    static final double FDT_US = (9 * 128 + 84) / FC_HZ * 1e6;
    /** Reader's wait after the card's frame before its next frame: 1172/fc. */
    static final double GUARD_US = 1172 / FC_HZ * 1e6;

    private final long firmwareMicros;

    /** @param firmwareMicros the chip's own time per command before it answers, µs (0: none modelled) */
    public Pn532Timing(long firmwareMicros) {
        this.firmwareMicros = firmwareMicros;
    }

    public long firmwareMicros() {
        return firmwareMicros;
    }

    /** A standard frame of {@code bytes} bytes at 106 kbit/s: start bit, 9 bits a byte, end. */
    static double frameUs(int bytes) {
        return (1 + 9 * bytes + 1) * BIT_US;
    }

    /** The reader sends {@code cmd} bytes, the card answers {@code resp} bytes. */
    static double exchangeUs(int cmd, int resp) {
        return frameUs(cmd) + FDT_US + frameUs(resp) + GUARD_US;
    }

    /** REQA/WUPA: a 7-bit short frame. */
    static double shortFrameUs() {
        return (1 + 7 + 1) * BIT_US;
    }

    /** Activation of one ISO/IEC 14443A card with a 4-byte UID. */
    static double activationUs() {
        return shortFrameUs() + FDT_US + frameUs(2) + GUARD_US   // REQA → ATQA
                + exchangeUs(2, 5)                               // ANTICOLLISION CL1 → UID + BCC
                + exchangeUs(9, 3);                              // SELECT CL1 → SAK + CRC
    }

    /** One activation attempt with no card in the field: REQA and the wait for an ATQA. */
    static double emptyAttemptUs() {
        return shortFrameUs() + FDT_US + frameUs(2) + GUARD_US;
    }

    /** MIFARE Classic three-pass authentication. */
    static double mifareAuthUs() {
        return exchangeUs(4, 4) + exchangeUs(8, 4);
    }

    /** MIFARE Classic READ of one block. */
    static double mifareReadUs() {
        return exchangeUs(4, 18);
    }

    /**
     * The chip's time for a command, between its ACK and its response.
     *
     * @param command        the command code (PD0 of the host's frame)
     * @param params         its parameters
     * @param cardAnswered   InListPassiveTarget found a card / the card took part in InDataExchange
     * @param activationTries MxRtyPassiveActivation + 1 (attempts without a card)
     */
    public long micros(int command, byte[] params, boolean cardAnswered, int activationTries) {
        double rf = switch (command) {
            case 0x4A -> cardAnswered ? activationUs() : emptyAttemptUs() * activationTries;
            case 0x40 -> {
                if (params.length < 2 || !cardAnswered) {
                    yield 0;
                }
                int op = params[1] & 0xFF;
                yield op == 0x60 || op == 0x61 ? mifareAuthUs() : op == 0x30 ? mifareReadUs() : 0;
            }
            default -> 0;
        };
        return firmwareMicros + Math.round(rf);
    }
}
