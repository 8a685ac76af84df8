package com.onecard.pos.reader.pn532;

import com.onecard.pos.reader.CardReaderDriver;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.CardTap.CampusRead;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.serial.JSerialCommLink;
import com.onecard.pos.reader.serial.SerialLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * PN532 over HSU as a {@link CardReaderDriver}: wakes and configures the chip, selects type A
 * cards and, given the issuer key, reads the campus sector (blocks 4 and 5) with the card's
 * diversified key A.
 */
public final class Pn532Driver implements CardReaderDriver {
    private static final Logger log = LoggerFactory.getLogger(Pn532Driver.class);
    /** Passive activation retries: enough to catch a card, few enough that "no card" comes back in ms. */
    private static final int PASSIVE_ACTIVATION_RETRIES = 0x02;
    private static final int INIT_ATTEMPTS = 3;
    private static final int READ_RETRIES = 2;
    private static final byte[] NO_DATA = new byte[0];

    private long implausible;
    private final SerialLink link;
    private final Pn532Client client;
    private final CampusCard campusCard;
    private String firmware = "";

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
                client.setPassiveActivationRetries(PASSIVE_ACTIVATION_RETRIES);
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
        Optional<Pn532Target> found = client.listPassiveTarget();
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
        CardTap tap = readCampus(t, now);
        // a read broken by line noise or a card at the edge of the field is worth another try
        // before a genuine card is refused as unverifiable; a refused key is not (that is the card)
        for (int retry = 0; retry < READ_RETRIES && tap.campusRead() == CampusRead.READ_FAILED; retry++) {
            Optional<Pn532Target> again = client.listPassiveTarget();
            if (again.isEmpty() || !Arrays.equals(again.get().uid(), t.uid())) {
                break;
            }
            tap = readCampus(again.get(), now);
        }
        return Optional.of(tap);
    }

    private CardTap readCampus(Pn532Target t, Instant now) throws IOException {
        int auth = client.mifareAuthenticate(t, CampusCard.DATA_BLOCK, false, campusCard.keyA(t.uid()));
        if (auth == Pn532Client.STATUS_AUTH_ERROR) {
            // a refused authentication halts the card; select it again so the next poll still sees it
            client.listPassiveTarget();
            return tap(t, CampusRead.AUTH_FAILED, NO_DATA, now);
        }
        if (auth != Pn532Client.STATUS_OK) {
            return tap(t, CampusRead.READ_FAILED, NO_DATA, now);
        }
        Pn532Client.ExchangeResult b4 = client.mifareRead(t, CampusCard.DATA_BLOCK);
        if (b4.status() != Pn532Client.STATUS_OK) {
            return tap(t, CampusRead.READ_FAILED, NO_DATA, now);
        }
        Pn532Client.ExchangeResult b5 = client.mifareRead(t, CampusCard.MAC_BLOCK);
        if (b5.status() != Pn532Client.STATUS_OK) {
            return tap(t, CampusRead.READ_FAILED, NO_DATA, now);
        }
        byte[] data = Arrays.copyOf(b4.data(), 32);
        System.arraycopy(b5.data(), 0, data, 16, 16);
        return tap(t, CampusRead.OK, data, now);
    }

    private static CardTap tap(Pn532Target t, CampusRead read, byte[] data, Instant now) {
        return new CardTap(t.uid(), t.atqa(), t.sak(), read, data, now);
    }

    @Override
    public void close() {
        link.close();
    }
}
