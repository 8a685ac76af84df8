package com.onecard.pos.sim.reader;

/** {@code --driver pn532}: campus cards and clones on an emulated PN532. */
public final class Pn532Emulation implements ReaderEmulator {
    @Override
    public String model() {
        return "pn532";
    }

    @Override
    public String summary() {
        return "PN532 with MIFARE Classic campus cards, 115200 baud (links DIR/reader, DIR/pn532)";
    }

    @Override
    public void run(String[] args) throws Exception {
        EmulateReaderMain.pn532(args);
    }
}
