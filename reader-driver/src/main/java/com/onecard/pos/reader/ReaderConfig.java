package com.onecard.pos.reader;

import com.onecard.pos.reader.card.CampusCard;

/**
 * Card reader settings.
 *
 * @param driver     a card reader model of {@link com.onecard.pos.reader.model.ReaderModels}, e.g. "pn532"
 * @param port       serial device path, e.g. /dev/ttyUSB0 or a pty link
 * @param baud       line speed (the model's {@code defaultBaud()} unless the module was set otherwise)
 * @param campusCard the terminal's campus card keys for reading the campus sectors, or null to read UIDs only
 */
public record ReaderConfig(String driver, String port, int baud, CampusCard campusCard) {
    public ReaderConfig {
        if (driver == null || driver.isBlank()) {
            throw new IllegalArgumentException("reader.driver is missing");
        }
        if (port == null || port.isBlank()) {
            throw new IllegalArgumentException("reader.port is missing");
        }
        if (baud <= 0) {
            throw new IllegalArgumentException("reader.baud must be positive, got " + baud);
        }
    }
}
