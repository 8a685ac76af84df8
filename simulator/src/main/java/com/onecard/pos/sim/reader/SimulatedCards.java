package com.onecard.pos.sim.reader;

import com.onecard.pos.issuer.CardIssuer;
import com.onecard.pos.reader.card.CardData;
import com.onecard.pos.sim.Population;
import com.onecard.pos.sim.Roster;
import com.onecard.pos.sim.Student;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The cards {@code scripts/emulate-reader} lays on its reader: the simulated students' cards,
 * issued by the simulation's issuer desk (layout 2, signed) for the accounts the simulated center opened, so a
 * terminal connected to that center accepts them. The students come from a simulation's roster
 * ({@code work/sim/roster.tsv}) or, with none, from the population {@code scripts/simulate}
 * makes for the same seed.
 */
public final class SimulatedCards {
    /** The development issuer's desk that scripts/provision --dir work/keys makes, used when the work folder has none. */
    static final Path DEV_DESK = Path.of("work/keys/issuer");
    /** Accounts of cards whose UID is no student's: outside every simulated account range. */
    static final long FOREIGN_ACCOUNTS = 99_990_001L;

    /** A card and who it belongs to. */
    public record Card(VirtualCard card, String uidHex, String owner) {
        public String describe() {
            return uidHex + " (" + owner + ")";
        }
    }

    private final List<Roster.Entry> students;
    private final CardIssuer issuer;
    private final String source;
    private long nextForeign = FOREIGN_ACCOUNTS;

    private SimulatedCards(List<Roster.Entry> students, CardIssuer issuer, String source) {
        this.students = students;
        this.issuer = issuer;
        this.source = source;
    }

    /**
     * @param workdir a simulation's work folder (its roster.tsv and keys/issuer desk are used when present)
     * @param seed    the simulation seed whose students to use when there is no roster
     * @param desk    the issuer desk that signs the cards, or null for the work folder's (else work/keys/issuer,
     *                made when missing)
     * @throws IOException when the roster or the desk exists but cannot be read
     */
    public static SimulatedCards of(Path workdir, long seed, Path desk) throws IOException {
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
        Path simDesk = workdir.resolve("keys/issuer");
        Path use = desk != null ? desk : Files.isDirectory(simDesk) ? simDesk : DEV_DESK;
        from += ", issued by the issuer desk " + use.toAbsolutePath();
        return new SimulatedCards(students, DevCards.at(use).issuer(), "cards: " + from);
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
