package com.onecard.pos.sim.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated phones' SMS inbox: the card center's development SMS sink ({@code FileSmsSink},
 * one line per message: epoch ms, number, text), read as each phone would read its own messages.
 */
public final class SmsInbox {
    private static final Pattern CODE = Pattern.compile("(\\d{6})");
    private final Path file;

    public SmsInbox(Path file) {
        this.file = file;
    }

    @Override
    public String toString() {
        return file.toString();
    }

    /** How many messages the sink holds now: a later {@link #code} looks only at messages after it. */
    public int mark() {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).size() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the SMS sink " + file, e);
        }
    }

    /** The newest code sent to {@code phone} after message {@code mark}; IllegalStateException when none came. */
    public String code(String phone, int mark) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= mark; i--) {
                String[] f = lines.get(i).split("\t", 3);
                if (f.length == 3 && f[1].equals(phone)) {
                    Matcher m = CODE.matcher(f[2]);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the SMS sink " + file, e);
        }
        throw new IllegalStateException("no code for " + phone + " in " + file);
    }
}
