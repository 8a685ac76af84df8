package com.onecard.pos.sim.reader;

/** {@code --driver rdm6300}: EM4100 tags on an emulated RDM6300. */
public final class Rdm6300Emulation implements ReaderEmulator {
    @Override
    public String model() {
        return "rdm6300";
    }

    @Override
    public String summary() {
        return "RDM6300 with 125 kHz EM4100 tags, 9600 baud (links DIR/reader, DIR/rdm6300)";
    }

    @Override
    public void run(String[] args) throws Exception {
        EmulateOtherReaders.rdm6300(args);
    }
}
