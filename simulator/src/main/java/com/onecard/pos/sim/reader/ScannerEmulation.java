package com.onecard.pos.sim.reader;

/** {@code --driver scanner}: a serial QR / barcode module, each line typed scanned as a code. */
public final class ScannerEmulation implements ReaderEmulator {
    @Override
    public String model() {
        return "scanner";
    }

    @Override
    public String summary() {
        return "serial QR/barcode module, 9600 baud (links DIR/scanner, DIR/scanner-dev)";
    }

    @Override
    public void run(String[] args) throws Exception {
        EmulateOtherReaders.scanner(args);
    }
}
