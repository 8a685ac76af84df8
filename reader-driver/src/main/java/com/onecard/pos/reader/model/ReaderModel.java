package com.onecard.pos.reader.model;

import java.io.IOException;

/**
 * One model of serial device at the window, as {@link ReaderModels} lists it: a card reader
 * ({@link CardReaderModel}) or a code scanner ({@link CodeScannerModel}). A model lives in its
 * own package and is registered by one line in
 * {@code META-INF/services/com.onecard.pos.reader.model.ReaderModel}; the configuration check,
 * {@code posctl reader probe}, the reader loop, the scanner and {@code scripts/emulate-reader}
 * all find it there. Implementations are stateless and thread-safe.
 */
public interface ReaderModel {

    /** What the model gives the terminal. */
    enum Role {
        /** Card taps ({@link CardReaderModel}). */
        CARD_READER,
        /** Scanned codes, one text a scan ({@link CodeScannerModel}). */
        CODE_SCANNER
    }

    /** The configuration value that selects it, lower case, e.g. {@code pn532}. */
    String name();

    Role role();

    /** Line speed of the module as it leaves the factory, in baud. */
    int defaultBaud();

    /** One line for a technician: chip, frequency, what it reads. */
    String summary();

    /**
     * Opens the port, checks that the device answers as this model can be checked, and closes
     * the port again (for {@code posctl reader probe}, with the daemon stopped).
     *
     * @return what was found, e.g. "PN532 v1.6" or "RDM6300 (125 kHz EM4100, UID only) at 9600 baud"
     * @throws IOException naming the port: missing, busy, or no answer
     */
    String probe(String port, int baud) throws IOException;
}
