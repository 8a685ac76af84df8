package com.onecard.pos.reader.loop;

import com.onecard.pos.reader.CardReaderDriver;
import com.onecard.pos.reader.ReaderConfig;

import java.io.IOException;

/** Opens and initialises a driver for a configuration; called again after every loss. */
@FunctionalInterface
public interface DriverFactory {
    CardReaderDriver open(ReaderConfig config) throws IOException;
}
