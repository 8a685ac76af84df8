package com.onecard.pos.reader.model;

import com.onecard.pos.reader.scanner.ScannerReader;

import java.util.function.Consumer;

/** A QR / barcode scanner model: builds the reader thread that delivers each scanned code. */
public interface CodeScannerModel extends ReaderModel {

    @Override
    default Role role() {
        return Role.CODE_SCANNER;
    }

    /**
     * A scanner on {@code port} at {@code baud}, not started. It opens the port when started and
     * reopens it with backoff after a loss; {@code codes} is called on its thread.
     */
    ScannerReader reader(String port, int baud, Consumer<String> codes);
}
