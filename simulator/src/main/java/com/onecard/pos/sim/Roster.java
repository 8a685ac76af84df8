package com.onecard.pos.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated students as a tab-separated file in the work folder, so that a person trying
 * the system can tap a student's card, report it lost or log in with its passwords: one line per
 * student with name, kind, card UID, account, card serial, national ID number, the card password
 * and the default card password the ID number gives. {@code scripts/emulate-reader} reads it to
 * issue cards for accounts the simulated center knows.
 */
public final class Roster {
    static final String HEADER = "student\tkind\tcard_uid\taccount\tcard_serial\tnational_id\tcard_password\tdefault_password";

    /** One student as the roster lists it. */
    public record Entry(String name, Student.Kind kind, String uidHex, long accountId, long cardSerial, String nationalId,
                        String password) {
        /** The default card password: the last 6 characters of the ID number, a final X read as 0. */
        public String defaultPassword() {
            if (nationalId.length() < 6) {
                return "";
            }
            String last6 = nationalId.substring(nationalId.length() - 6);
            return last6.endsWith("X") || last6.endsWith("x") ? last6.substring(0, 5) + "0" : last6;
        }
    }

    private Roster() {
    }

    public static void write(Path file, List<Student> students) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Student s : students) {
            Entry e = entry(s);
            sb.append(String.join("\t", e.name(), e.kind().name(), e.uidHex(), Long.toString(e.accountId()),
                    Long.toString(e.cardSerial()), e.nationalId(), e.password(), e.defaultPassword())).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static Entry entry(Student s) {
        return new Entry(s.name(), s.kind(), s.uidHex(), s.accountId(), s.cardSerial(), s.nationalId(), s.password());
    }

    /**
     * Reads a roster written by {@link #write}.
     *
     * @throws IOException naming the file and line when it is not a roster
     */
    public static List<Entry> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + " is not a roster written by scripts/simulate (its first line is not the header)");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", -1);
            if (f.length < 7) {
                throw new IOException(file + " line " + (i + 1) + ": expected 8 tab-separated fields, got " + f.length);
            }
            try {
                out.add(new Entry(f[0], Student.Kind.valueOf(f[1]), f[2], Long.parseLong(f[3]), Long.parseLong(f[4]), f[5], f[6]));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }
}
