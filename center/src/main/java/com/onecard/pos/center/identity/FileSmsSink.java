package com.onecard.pos.center.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;

/**
 * The development SMS gateway: each message is one line appended to a file,
 * {@code <epoch ms>\t<phone>\t<text>}, created mode 0600 (the codes in it are secrets). The
 * simulator's students read their codes from it, as a phone reads its inbox.
 */
public final class FileSmsSink implements SmsGateway {
    private final Path file;
    private final Clock clock;

    public FileSmsSink(Path file, Clock clock) throws IOException {
        this.file = file.toAbsolutePath();
        this.clock = clock;
        Files.createDirectories(this.file.getParent());
        if (!Files.exists(this.file)) {
            Files.createFile(this.file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void send(String phone, String text) throws IOException {
        String line = clock.millis() + "\t" + phone + "\t" + text.replace('\n', ' ').replace('\t', ' ') + "\n";
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
