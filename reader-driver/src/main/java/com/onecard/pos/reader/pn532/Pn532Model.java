package com.onecard.pos.reader.pn532;

import com.onecard.pos.reader.CardReaderDriver;
import com.onecard.pos.reader.ReaderConfig;
import com.onecard.pos.reader.model.CardReaderModel;

import java.io.IOException;

/** NXP PN532 over HSU (13.56 MHz, ISO 14443-A; reads the campus sector of MIFARE Classic cards). */
public final class Pn532Model implements CardReaderModel {
    @Override
    public String name() {
        return "pn532";
    }

    @Override
    public int defaultBaud() {
        return 115200;
    }

    @Override
    public String summary() {
        return "NXP PN532 over HSU: 13.56 MHz ISO 14443-A, reads and verifies the campus sector";
    }

    @Override
    public CardReaderDriver open(ReaderConfig config) throws IOException {
        return Pn532Driver.open(config.port(), config.baud(), config.campusCard());
    }

    @Override
    public String probe(String port, int baud) throws IOException {
        return Pn532Driver.probe(port, baud);
    }
}
