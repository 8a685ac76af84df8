package com.onecard.pos.sim.reader;

/**
 * How {@code scripts/emulate-reader} emulates one model of the reader registry
 * ({@link com.onecard.pos.reader.model.ReaderModels}): on a fresh pty pair, driven from standard
 * input, until Ctrl-C. Registered beside the model, one line in
 * {@code META-INF/services/com.onecard.pos.sim.reader.ReaderEmulator} of the simulator.
 */
public interface ReaderEmulator {
    /** The registry name of the model it emulates. */
    String model();

    /** One line for the usage text: what it emulates and where its pty links go. */
    String summary();

    /**
     * Runs the emulator with its own options (those after {@code --driver NAME}).
     *
     * @throws IllegalArgumentException naming an option it does not know or a bad value
     */
    void run(String[] args) throws Exception;
}
