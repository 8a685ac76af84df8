package com.onecard.pos.terminal.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;

/** What posctl says about files it is asked to write, and about errors, in words: never a Java exception's name. */
final class Outputs {
    private Outputs() {
    }

    /**
     * Checks before any work that {@code file} can be written, so a typo in a folder name is a
     * usage error (exit 2), not a failure after the daemon already answered.
     */
    static void checkWritable(Path file, String option) {
        Path abs = file.toAbsolutePath();
        Path folder = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new PosCtl.UsageError(option + " " + file + " is a folder; give a file name");
        }
        if (folder != null && !Files.isDirectory(folder)) {
            throw new PosCtl.UsageError(option + " " + file + ": folder " + folder + " does not exist");
        }
        if (folder != null && !Files.isWritable(folder)) {
            throw new PosCtl.UsageError(option + " " + file + ": folder " + folder + " is not writable by this user");
        }
    }

    /** One sentence for an error that reached the top, naming the file or value involved. */
    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file or folder";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof NotDirectoryException n) {
            return n.getFile() + ": not a folder";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + ": already exists";
        }
        if (e instanceof DateTimeParseException d) {
            return "'" + d.getParsedString() + "' is not a date like 2026-11-27";
        }
        if (e instanceof IOException && e.getMessage() != null) {
            return e.getMessage();
        }
        String m = e.getMessage();
        return "unexpected error" + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
