package com.onecard.pos.terminal.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The daemon's JVM flags, kept in one file ({@code onecard-posd.jvm-options}) that the packaged
 * wrapper passes as a {@code java @argfile} and the simulator and benchmarks read from here,
 * so every daemon runs the way the field runs it. Why these flags: a 64 MB heap that starts
 * small, the serial collector, and the C1 compiler only (the C2 compiler's own memory alone
 * would take the daemon past 128 MB resident; sales are bound by the serial line and fsync, not
 * by peak JIT code). On running out of heap the JVM kills itself ({@code -XX:OnOutOfMemoryError=kill -9 %p})
 * and systemd starts it again: a daemon that carries on after an OutOfMemoryError may have lost any
 * thread. Not {@code -XX:+ExitOnOutOfMemoryError}: that exits with status 3, which the unit keeps
 * for a journal that failed verification and does not restart.
 *
 * <p>The file is a {@code java @argfile}: one option a line; a line in double quotes is one option
 * with spaces.
 */
public final class DaemonJvm {
    public static final String RESOURCE = "onecard-posd.jvm-options";

    private DaemonJvm() {
    }

    public static List<String> options() {
        try (InputStream in = DaemonJvm.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the terminal jar");
            }
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.length() > 1 && l.startsWith("\"") && l.endsWith("\"") ? l.substring(1, l.length() - 1) : l)
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("reading " + RESOURCE, e);
        }
    }
}
