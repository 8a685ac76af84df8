package com.onecard.pos.terminal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A second copy of the journal's head outside the database ({@code terminal.db.anchor}): which
 * journal this terminal writes (its id, made when the database was created), and the sequence and
 * MAC of its last row. It is written after every commit, without an fsync of its own (the row is
 * already on disk; after a power cut the anchor may lag the database, never lead it), in two
 * alternating slots, each with a CRC, so a torn write leaves the other slot.
 *
 * <p>At start ({@link #check}) the database must reach the anchor: a database that is another
 * journal (swapped), one that ends before the anchor while its own head record says it went
 * further (its tail deleted), one that ends before the anchor and agrees with itself (an older
 * copy, restored from a backup), and one whose row at the anchor's sequence has another MAC
 * (rewritten) are each told apart. The card center's copy of the head, sent with every
 * acknowledgement, covers a disk whose anchor was changed as well.
 */
final class JournalAnchor implements AutoCloseable {
    private static final int MAGIC = 0x4F43414E; // "OCAN"
    private static final int SLOT = 4 + 16 + 8 + 32 + 8;
    private static final int RECORD = SLOT + 4;

    /** What a slot holds. */
    record Head(byte[] journalId, long seq, byte[] mac, long writes) {
    }

    private final Path file;
    private FileChannel ch;
    private long writes;

    JournalAnchor(Path db) {
        this.file = db.resolveSibling(db.getFileName() + ".anchor");
    }

    Path file() {
        return file;
    }

    /** The newest intact slot, or empty when the file is missing or holds none. */
    Optional<Head> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        byte[] all = Files.readAllBytes(file);
        Head best = null;
        for (int slot = 0; slot < 2; slot++) {
            if (all.length < (slot + 1) * RECORD) {
                break;
            }
            ByteBuffer b = ByteBuffer.wrap(all, slot * RECORD, RECORD);
            CRC32 crc = new CRC32();
            crc.update(all, slot * RECORD, SLOT);
            if (b.getInt() != MAGIC) {
                continue;
            }
            byte[] id = new byte[16];
            b.get(id);
            long seq = b.getLong();
            byte[] mac = new byte[32];
            b.get(mac);
            long w = b.getLong();
            if ((int) crc.getValue() != b.getInt()) {
                continue;
            }
            if (best == null || w > best.writes()) {
                best = new Head(id, seq, mac, w);
            }
        }
        return Optional.ofNullable(best);
    }

    /** Records the head after a commit; a failure to write is logged by the caller and not fatal (the center keeps its copy). */
    void write(byte[] journalId, long seq, byte[] mac) throws IOException {
        if (ch == null) {
            writes = read().map(Head::writes).orElse(0L);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        writes++;
        ByteBuffer b = ByteBuffer.allocate(RECORD);
        b.putInt(MAGIC).put(Arrays.copyOf(journalId, 16)).putLong(seq).put(Arrays.copyOf(mac, 32)).putLong(writes);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, SLOT);
        b.putInt((int) crc.getValue()).flip();
        ch.write(b, (writes % 2) * RECORD);
    }

    /**
     * Compares the database with the anchor.
     *
     * @param journalId the database's journal id
     * @param lastSeq   the last row in the database
     * @param ownHead   the head the database itself recorded with its last append (0: none recorded)
     * @param macAt     the MAC of a row of the database, or null when it has no such row
     * @return the problem, named, or empty when the database reaches the anchor
     */
    Optional<String> check(byte[] journalId, long lastSeq, long ownHead, java.util.function.LongFunction<byte[]> macAt)
            throws IOException {
        Optional<Head> h = read();
        if (h.isEmpty()) {
            return Optional.empty();
        }
        Head a = h.get();
        String db = file.getFileName().toString().replace(".anchor", "");
        if (!Arrays.equals(a.journalId(), Arrays.copyOf(journalId, 16))) {
            return Optional.of(db + " is another journal than the one this terminal writes (journal "
                    + HexFormat.of().formatHex(journalId) + ", the anchor " + file + " names journal "
                    + HexFormat.of().formatHex(a.journalId()) + "): the database was swapped for another terminal's or another installation's");
        }
        if (lastSeq < a.seq()) {
            if (ownHead > lastSeq) {
                return Optional.of("rows " + (lastSeq + 1) + ".." + ownHead + " were deleted from the end of the journal in "
                        + db + " (its own head record says seq " + ownHead + ", the anchor seq " + a.seq() + ")");
            }
            return Optional.of(db + " is an older copy of this terminal's journal: it ends at seq " + lastSeq
                    + " but this terminal had written up to seq " + a.seq() + " (restored from a backup?)");
        }
        byte[] there = macAt.apply(a.seq());
        if (a.seq() > 0 && (there == null || !Arrays.equals(there, a.mac()))) {
            return Optional.of("journal row " + a.seq() + " in " + db + " is not the row this terminal wrote (its MAC differs"
                    + " from the anchor's): the journal was rewritten from there on");
        }
        return Optional.empty();
    }

    static byte[] newJournalId() {
        byte[] id = new byte[16];
        new java.security.SecureRandom().nextBytes(id);
        return id;
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] unhex(String s) {
        return HexFormat.of().parseHex(s.strip());
    }

    @Override
    public void close() {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing is lost: the next start reads what was written
            }
        }
    }
}
