package com.onecard.pos.reader.scanner;

import com.onecard.pos.reader.model.CodeScannerModel;
import com.onecard.pos.reader.serial.JSerialCommLink;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * A serial QR / barcode module in its factory "serial output" mode: one code a line (CR, CRLF,
 * LF or an idle gap). Most canteen modules (GM65, GM861, MH-ET Live and their kin) ship at 9600.
 */
public final class SerialScannerModel implements CodeScannerModel {
    @Override
    public String name() {
        return "scanner";
    }

    @Override
    public int defaultBaud() {
        return 9600;
    }

    @Override
    public String summary() {
        return "serial QR/barcode module: one code a line (CR, CRLF, LF or an idle gap)";
    }

    @Override
    public ScannerReader reader(String port, int baud, Consumer<String> codes) {
        return new ScannerReader(port, baud, codes);
    }

    /** A scanner says nothing until a code is scanned: opening the port is what can be checked. */
    @Override
    public String probe(String port, int baud) throws IOException {
        try (var link = JSerialCommLink.open(port, baud)) {
            return "serial scanner port " + port + " open at " + baud + " baud";
        }
    }
}
