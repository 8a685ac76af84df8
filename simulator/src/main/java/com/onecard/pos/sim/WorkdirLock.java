package com.onecard.pos.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One simulation per work folder: a second {@code scripts/simulate} must not wipe the keys and
 * ledger of one still running ({@code --keep}). The lock is an OS file lock on {@code DIR.lock}
 * beside the folder (the folder itself is emptied at start); it holds who owns it, and the
 * kernel releases it when that process ends, however it ends.
 */
public final class WorkdirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    /** The folder is in use by another simulation. */
    public static final class Busy extends IOException {
        Busy(String message) {
            super(message);
        }
    }

    private WorkdirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param owner what this simulation is, for the message another one shows (scenario, options)
     * @throws Busy        naming the holder when another simulation has the folder
     * @throws IOException when the lock file cannot be made (the folder's parent is not writable)
     */
    public static WorkdirLock acquire(Path workdir, String owner) throws IOException {
        Path file = file(workdir);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this JVM already
        }
        if (l == null) {
            String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
            ch.close();
            throw new Busy(workdir + " is in use by another simulation (" + (holder.isEmpty() ? "unknown" : holder)
                    + "); stop it (Ctrl-C or quit in its console) or give this one another --workdir");
        }
        String me = "scripts/simulate pid " + ProcessHandle.current().pid() + ", started "
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + ", " + owner;
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(true);
        return new WorkdirLock(ch, l);
    }

    static Path file(Path workdir) {
        Path abs = workdir.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".lock");
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
