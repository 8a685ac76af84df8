package com.onecard.pos.reader.rdm6300;

import com.onecard.pos.reader.CardReaderDriver;
import com.onecard.pos.reader.ReaderConfig;
import com.onecard.pos.reader.model.CardReaderModel;

import java.io.IOException;

/** RDM6300 125 kHz EM4100 UID reader: no campus sector, so the campus key, if any, is not used. */
public final class Rdm6300Model implements CardReaderModel {
    @Override
    public String name() {
        return "rdm6300";
    }

    @Override
    public int defaultBaud() {
        return Rdm6300Driver.DEFAULT_BAUD;
    }

    @Override
    public String summary() {
        return "RDM6300: 125 kHz EM4100 tags, UID only (no campus sector)";
    }

    @Override
    public CardReaderDriver open(ReaderConfig config) throws IOException {
        return Rdm6300Driver.open(config.port(), config.baud());
    }

    /** The module has no command to answer: opening the port is what can be checked before a tag comes. */
    @Override
    public String probe(String port, int baud) throws IOException {
        try (Rdm6300Driver d = Rdm6300Driver.open(port, baud)) {
            return "RDM6300 (125 kHz EM4100, UID only) at " + baud + " baud";
        }
    }
}
