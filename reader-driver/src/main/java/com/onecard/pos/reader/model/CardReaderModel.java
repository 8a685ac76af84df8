package com.onecard.pos.reader.model;

import com.onecard.pos.reader.CardReaderDriver;
import com.onecard.pos.reader.ReaderConfig;

import java.io.IOException;

/** A card reader model: opens a {@link CardReaderDriver} that the reader loop polls. */
public interface CardReaderModel extends ReaderModel {

    @Override
    default Role role() {
        return Role.CARD_READER;
    }

    /**
     * Opens and initialises a driver on {@code config.port()} at {@code config.baud()}; called
     * again by {@link com.onecard.pos.reader.loop.ReaderLoop} after every loss.
     *
     * @throws IOException naming the port when it is missing, busy or the device does not answer
     */
    CardReaderDriver open(ReaderConfig config) throws IOException;
}
