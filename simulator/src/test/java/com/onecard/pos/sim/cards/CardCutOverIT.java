package com.onecard.pos.sim.cards;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.sim.Outcome;
import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Student;
import com.onecard.pos.sim.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A campus re-issuing its cards: a layout-1 card (read with its ticket from the center) pays
 * before the cut-over day and is counted in {@code posctl status}; after the day, set with
 * {@code config set}, the same card is refused with its reason and counted as refused, while a
 * layout-2 card pays as before. Real daemon, token, emulated reader, center.
 */
class CardCutOverIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path WORK = Path.of("target/it-card-cutover").toAbsolutePath();
    static Simulation sim;

    @BeforeAll
    static void start() throws Exception {
        if (Files.exists(WORK)) {
            try (var w = Files.walk(WORK)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        sim = new Simulation(ROOT, WORK, 3, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        sim.setUp(8);
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void aLayoutOneCardPaysUntilTheCutOverThenIsRefusedAndBothAreCounted() throws Exception {
        Window w = sim.windows().get(0);
        Student old = sim.students().stream().filter(Simulation::layout1).findFirst().orElseThrow();
        Student current = sim.students().stream().filter(s -> s.kind() == Student.Kind.NORMAL && !Simulation.layout1(s))
                .findFirst().orElseThrow();

        Outcome before = w.tap(old, 200);
        assertThat(before.approved()).as("layout-1 card before the cut-over: %s", before).isTrue();
        JsonNode cards = w.terminal().call("status").path("cards");
        assertThat(cards.path("v1_accepted").asLong()).isEqualTo(1);
        assertThat(cards.path("v1_cards").asLong()).isEqualTo(1);
        assertThat(cards.path("v1_refused").asLong()).isZero();

        JsonNode set = w.terminal().call("config-set", "key", "card.v1-accepted-until", "value",
                LocalDate.now().minusDays(1).toString());
        assertThat(set.path("ok").asBoolean()).as(set.toString()).isTrue();
        w.terminal().close();
        sim.restartTerminal(w);

        Outcome after = w.tap(old, 200);
        assertThat(after.approved()).isFalse();
        assertThat(after.reason()).isEqualTo("OLD_CARD_LAYOUT");
        assertThat(w.tap(current, 200).approved()).as("a layout-2 card still pays").isTrue();
        cards = w.terminal().call("status").path("cards");
        assertThat(cards.path("v1_refused").asLong()).isEqualTo(1);
        assertThat(cards.path("v1_accepted_until").asText()).isEqualTo(LocalDate.now().minusDays(1).toString());
    }
}
