package com.onecard.pos.sim;

import com.onecard.pos.center.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the daemon at random moments during a rush, at least 50 times: afterwards no
 * approved sale is missing or doubled, the MAC chain verifies, the center's ledger equals the
 * journal and every balance equals opening − journaled debits.
 */
class PowerLossIT {

    @Test
    void fiftyKillsDuringARushLoseAndDoubleNothing() throws Exception {
        int kills = Integer.getInteger("powerloss.kills", 50);
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path work = Path.of("target/it-powerloss").toAbsolutePath();
        SimulateMain.wipe(work);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        try (Simulation sim = new Simulation(root, work, 11, out)
                .database(TestPostgres.freshDatabase("power_loss"))) {
            sim.setUp(30);
            PowerLoss.run(sim, kills, 1200, 11, out);
            Verdict v = sim.verify(Duration.ofSeconds(60));
            v.scenario = "power-loss";
            String report = log.toString(StandardCharsets.UTF_8) + v.table();
            System.out.println(report);
            v.writeJson(work.resolve("verdict.json"));
            assertThat(v.kills).isEqualTo(kills);
            assertThat(v.approved()).as(report).isGreaterThan(0);
            assertThat(v.invariants).as(report).allSatisfy((name, ok) -> assertThat(ok).as(name + "\n" + report).isTrue());
        }
    }
}
