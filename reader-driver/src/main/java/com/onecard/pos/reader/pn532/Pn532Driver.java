package com.onecard.pos.reader.pn532;

import com.onecard.pos.reader.CardReaderDriver;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.CardTap.CampusRead;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.card.CampusLayout;
import com.onecard.pos.reader.serial.JSerialCommLink;
import com.onecard.pos.reader.serial.SerialLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * PN532 over HSU as a {@link CardReaderDriver}: wakes and configures the chip, selects type A
 * cards and, given the terminal's campus card keys, reads the campus sectors with the card's
 * diversified key A.
 */
public final class Pn532Driver implements CardReaderDriver {
    private static final Logger log = LoggerFactory.getLogger(Pn532Driver.class);
    /**
     * Passive activation retries (MxRtyPassiveActivation, UM0701-02 §7.3.1) while no card is on the
     * reader: 0xFF, the chip sends REQA after REQA until a card answers, so a card is heard whenever it
     * comes instead of waiting out a re-arm gap (the empty answer and the next command on the serial
     * line, ≈ 2 ms in every ≈ 17 ms with a bounded count). The host ends each listen after
     * {@link #LISTEN} with an ACK frame (the abort of UM0701-02 §6.2) and starts the next at once: the
     * chip's ACK to that next command is the health check, and the only deaf time left is that
     * abort and command, ≈ 1.5 ms every {@link #LISTEN}.
     */
    static final int LISTEN_FOREVER = 0xFF;
    /** How long one listen lasts before the host aborts it and listens again (a multiple of the link's 100 ms read timeout). */
    static final Duration LISTEN = Duration.ofMillis(300);
    /**
     * Retries while a card is believed on the reader: 33 attempts (≈ 15 ms of ISO/IEC 14443-3 REQA
     * timing) and the chip answers "no card" by itself, so a removed card is noticed within a few polls.
     */
    static final int PRESENT_RETRIES = 0x20;
    /** A retry of a broken read on a listening chip: the card was there a moment ago. */
    private static final Duration RELIST = Duration.ofMillis(100);
    private static final int INIT_ATTEMPTS = 3;
    private static final int READ_RETRIES = 2;
    private static final byte[] NO_DATA = new byte[0];

    private long implausible;
    private final SerialLink link;
    private final Pn532Client client;
    private final CampusCard campusCard;
    private String firmware = "";
    /** MxRtyPassiveActivation the chip was last given. */
    private int retries = -1;

    public Pn532Driver(SerialLink link, CampusCard campusCard) {
        this.link = link;
        this.client = new Pn532Client(link);
        this.campusCard = campusCard;
    }

    /**
     * Opens the port and initialises the chip.
     *
     * @throws IOException naming the port: it cannot be opened, or the chip does not answer
     */
    public static Pn532Driver open(String port, int baud, CampusCard campusCard) throws IOException {
        SerialLink link = JSerialCommLink.open(port, baud);
        Pn532Driver d = new Pn532Driver(link, campusCard);
        try {
            d.initialise();
            return d;
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** Opens the port, reads the firmware version and closes again; for {@code posctl reader probe}. */
    public static String probe(String port, int baud) throws IOException {
        try (Pn532Driver d = open(port, baud, null)) {
            return d.firmware();
        }
    }

    /** Wake-up + SAMConfiguration, GetFirmwareVersion, passive-activation retries. */
    public void initialise() throws IOException {
        long t0 = System.nanoTime();
        IOException last = null;
        // the first frame after wake-up may be lost while the chip's oscillator starts
        for (int i = 0; i < INIT_ATTEMPTS; i++) {
            try {
                client.wakeUp();
                firmware = client.firmwareVersion();
                retries = -1;
                setRetries(LISTEN_FOREVER);
                client.rfField(true);
                log.debug("{}: {} ready after {} ms", port(), firmware, (System.nanoTime() - t0) / 1_000_000);
                return;
            } catch (Pn532Exception e) {
                last = e;
            }
        }
        throw new Pn532Exception("no PN532 answering on " + port() + " after " + INIT_ATTEMPTS + " attempts in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms", last);
    }

    @Override
    public String port() {
        return link.port();
    }

    @Override
    public String firmware() {
        return firmware;
    }

    @Override
    public long errors() {
        return client.errors();
    }

    @Override
    public long implausible() {
        return implausible;
    }

    @Override
    public Optional<CardTap> poll(byte[] presentUid, Instant now) throws IOException {
        return poll(presentUid, now, uid -> { });
    }

    @Override
    public Optional<CardTap> poll(byte[] presentUid, Instant now, java.util.function.Consumer<byte[]> seen) throws IOException {
        setRetries(presentUid == null ? LISTEN_FOREVER : PRESENT_RETRIES);
        Optional<Pn532Target> found = retries == LISTEN_FOREVER ? client.listPassiveTarget(LISTEN) : client.listPassiveTarget();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Pn532Target t = found.get();
        String why = com.onecard.pos.reader.Plausibility.iso14443a(t.uid());
        if (why != null) {
            implausible++;
            log.debug("{}: dropped target {}: {}", port(), java.util.HexFormat.of().formatHex(t.uid()), why);
            return Optional.empty();
        }
        if (campusCard == null || Arrays.equals(t.uid(), presentUid)) {
            return Optional.of(tap(t, CampusRead.NOT_ATTEMPTED, NO_DATA, now));
        }
        seen.accept(t.uid().clone());
        CardTap tap = readCampus(t, now);
        // a read broken by line noise or a card at the edge of the field is worth another try
        // before a genuine card is refused as unverifiable; a refused key is not (that is the card)
        for (int retry = 0; retry < READ_RETRIES && tap.campusRead() == CampusRead.READ_FAILED; retry++) {
            Optional<Pn532Target> again = relist();
            if (again.isEmpty() || !Arrays.equals(again.get().uid(), t.uid())) {
                break;
            }
            tap = readCampus(again.get(), now);
        }
        return Optional.of(tap);
    }

    /**
     * Reads the campus sectors (docs/card-layout.md). A card the center sent a layout-1 ticket
     * for is read with the ticket's key A (blocks 4 and 5); any other card with the layout-2 key A:
     * block 4, then, unless this UID with this block 4 was verified here before, the signature in
     * blocks 5 and 6 and, after authenticating sector 2, blocks 8 and 9. The signature is checked
     * here, on the reader thread, so the sale finds it verified.
     */
    private CardTap readCampus(Pn532Target t, Instant now) throws IOException {
        var ticket = campusCard.legacyTicket(t.uid());
        if (ticket.isPresent()) {
            return readV1(t, ticket.get().keyA(), now);
        }
        int auth = client.mifareAuthenticate(t, CampusLayout.DATA_BLOCK, false, campusCard.keyA(t.uid()));
        if (auth != Pn532Client.STATUS_OK) {
            return refused(t, auth, now);
        }
        byte[] b4 = readBlock(t, CampusLayout.DATA_BLOCK);
        if (b4 == null) {
            return tap(t, CampusRead.READ_FAILED, NO_DATA, now);
        }
        if (CampusLayout.version(b4) != CampusLayout.V2 || campusCard.alreadyVerified(t.uid(), b4)) {
            return tap(t, CampusRead.OK, b4, now);
        }
        byte[] data = Arrays.copyOf(b4, 16 + CampusLayout.SIGNATURE_BYTES);
        int[] blocks = CampusLayout.V2_SIGNATURE_BLOCKS;
        for (int i = 0; i < blocks.length; i++) {
            if (blocks[i] == CampusLayout.SECTOR2_BLOCK) {
                auth = client.mifareAuthenticate(t, CampusLayout.SECTOR2_BLOCK, false, campusCard.keyA(t.uid()));
                if (auth != Pn532Client.STATUS_OK) {
                    return refused(t, auth, now);
                }
            }
            byte[] b = readBlock(t, blocks[i]);
            if (b == null) {
                return tap(t, CampusRead.READ_FAILED, NO_DATA, now);
            }
            System.arraycopy(b, 0, data, 16 + 16 * i, 16);
        }
        campusCard.verify(t.uid(), data);
        return tap(t, CampusRead.OK, data, now);
    }

    private CardTap readV1(Pn532Target t, byte[] keyA, Instant now) throws IOException {
        int auth = client.mifareAuthenticate(t, CampusLayout.DATA_BLOCK, false, keyA);
        if (auth != Pn532Client.STATUS_OK) {
            return refused(t, auth, now);
        }
        byte[] b4 = readBlock(t, CampusLayout.DATA_BLOCK);
        byte[] b5 = b4 == null ? null : readBlock(t, CampusLayout.V1_MAC_BLOCK);
        if (b5 == null) {
            return tap(t, CampusRead.READ_FAILED, NO_DATA, now);
        }
        byte[] data = Arrays.copyOf(b4, 32);
        System.arraycopy(b5, 0, data, 16, 16);
        return tap(t, CampusRead.OK, data, now);
    }

    /** A refused key halts the card: select it again so that the next poll still sees it present. */
    private CardTap refused(Pn532Target t, int status, Instant now) throws IOException {
        if (status == Pn532Client.STATUS_AUTH_ERROR) {
            relist();
            return tap(t, CampusRead.AUTH_FAILED, NO_DATA, now);
        }
        return tap(t, CampusRead.READ_FAILED, NO_DATA, now);
    }

    private void setRetries(int r) throws IOException {
        if (retries != r) {
            client.setPassiveActivationRetries(r);
            retries = r;
        }
    }

    /** Selects the card again; on a listening chip the listen is cut short if it left meanwhile. */
    private Optional<Pn532Target> relist() throws IOException {
        return retries == LISTEN_FOREVER ? client.listPassiveTarget(RELIST) : client.listPassiveTarget();
    }

    private byte[] readBlock(Pn532Target t, int block) throws IOException {
        Pn532Client.ExchangeResult r = client.mifareRead(t, block);
        return r.status() == Pn532Client.STATUS_OK ? r.data() : null;
    }

    private static CardTap tap(Pn532Target t, CampusRead read, byte[] data, Instant now) {
        return new CardTap(t.uid(), t.atqa(), t.sak(), read, data, now);
    }

    @Override
    public void close() {
        link.close();
    }
}
