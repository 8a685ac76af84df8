package com.onecard.pos.terminal.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Reads hex key files made by scripts/provision. Never puts key material in a message. */
public final class Secrets {
    private Secrets() {
    }

    public static byte[] readHexKey(Path file, String what) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new IOException(what + " file " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + "); run scripts/provision or check its permissions", e);
        }
        try {
            byte[] key = HexFormat.of().parseHex(text);
            if (key.length < 16) {
                throw new IOException(what + " file " + file + " holds " + key.length + " bytes; at least 16 are needed");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IOException(what + " file " + file + " is not hex", e);
        }
    }
}
