package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.card.CardData;
import com.onecard.pos.sim.Population;
import com.onecard.pos.sim.Roster;
import com.onecard.pos.sim.Student;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * The cards {@code scripts/emulate-reader} lays on its reader: the simulated students' cards,
 * issued with the simulation's issuer key for the accounts the simulated center opened, so a
 * terminal connected to that center accepts them. The students come from a simulation's roster
 * ({@code work/sim/roster.tsv}) or, with none, from the population {@code scripts/simulate}
 * makes for the same seed.
 */
public final class SimulatedCards {
    /** Development issuer key (bytes 00..1F), used when no simulation's key is there. */
    public static final String DEV_MASTER_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    /** Accounts of cards whose UID is no student's: outside every simulated account range. */
    static final long FOREIGN_ACCOUNTS = 99_990_001L;

    /** A card and who it belongs to. */
    public record Card(VirtualCard card, String uidHex, String owner) {
        public String describe() {
            return uidHex + " (" + owner + ")";
        }
    }

    private final List<Roster.Entry> students;
    private final CampusCard issuer;
    private final String source;
    private long nextForeign = FOREIGN_ACCOUNTS;

    private SimulatedCards(List<Roster.Entry> students, CampusCard issuer, String source) {
        this.students = students;
        this.issuer = issuer;
        this.source = source;
    }

    /**
     * @param workdir   a simulation's work folder (its roster.tsv and keys/issuer.key are used when present)
     * @param seed      the simulation seed whose students to use when there is no roster
     * @param masterHex the issuer key in hex, or null for the work folder's (else the development key)
     * @throws IOException when the roster or key file exists but cannot be read
     */
    public static SimulatedCards of(Path workdir, long seed, String masterHex) throws IOException {
        Path roster = workdir.resolve("roster.tsv");
        List<Roster.Entry> students;
        String from;
        if (Files.exists(roster)) {
            students = Roster.read(roster);
            from = "students from " + roster.toAbsolutePath();
        } else {
            // the queue scripts/simulate makes by default: --students 20
            students = Population.queue(seed, 20).stream().map(Roster::entry).toList();
            from = "students of scripts/simulate --seed " + seed + " (no roster in " + workdir.toAbsolutePath() + ")";
        }
        String keyHex = masterHex;
        Path keyFile = workdir.resolve("keys/issuer.key");
        if (keyHex == null && Files.exists(keyFile)) {
            keyHex = Files.readString(keyFile, StandardCharsets.US_ASCII).trim();
            from += ", issued with " + keyFile.toAbsolutePath();
        } else if (keyHex == null) {
            keyHex = DEV_MASTER_KEY;
            from += ", issued with the development key";
        } else {
            from += ", issued with the key given";
        }
        try {
            return new SimulatedCards(students, new CampusCard(HexFormat.of().parseHex(keyHex)), "cards: " + from);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--master-key must be the issuer key in hex");
        }
    }

    /** Where the students and the key came from, for the console. */
    public String source() {
        return source;
    }

    /** A campus card for {@code uidHex}: the student's who holds it, else one for an account no center knows. */
    public Card campus(String uidHex) {
        for (Roster.Entry e : students) {
            if (e.uidHex().equalsIgnoreCase(uidHex) && e.kind() != Student.Kind.CLONE) {
                return card(e);
            }
        }
        long account = nextForeign++;
        return new Card(VirtualCard.campus(uidHex, issuer, new CardData(account, 1, 0)), uidHex,
                "account " + account + ", not a student of the simulated center: a terminal refuses it as an unknown card");
    }

    /** A bare UID copy on default keys. */
    public Card clone(String uidHex) {
        return new Card(VirtualCard.blank(uidHex), uidHex, "bare UID clone, refused as a bad credential");
    }

    /** The first student in good standing. */
    public Card firstStudent() {
        return students.stream().filter(e -> e.kind() == Student.Kind.NORMAL).findFirst().map(this::card)
                .orElseThrow(() -> new IllegalStateException("the roster has no student in good standing"));
    }

    private Card card(Roster.Entry e) {
        return new Card(VirtualCard.campus(e.uidHex(), issuer, new CardData(e.accountId(), e.cardSerial(), 0)), e.uidHex(),
                e.name() + ", account " + e.accountId() + ", " + e.kind().name().toLowerCase(java.util.Locale.ROOT));
    }
}
