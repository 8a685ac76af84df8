package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.sim.Population;
import com.onecard.pos.sim.Roster;
import com.onecard.pos.sim.Student;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * scripts/emulate-reader as the README prints it: the card named on the command line is on the
 * reader at start (no key pressed), and cards are issued for the simulated center's accounts.
 */
class EmulateReaderIT {
    @TempDir
    Path dir;
    Process emulator;

    @AfterEach
    void stop() throws InterruptedException {
        if (emulator != null) {
            emulator.destroy(); // SIGTERM: its shutdown hook stops socat
            emulator.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the emulator with stdin open and never written to; returns the lines it printed up to the pty path. */
    private List<String> start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmulateReaderMain.class.getName(), "--root", dir.toString(),
                "--dir", dir.resolve("er").toString()));
        cmd.addAll(List.of(args));
        emulator = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (line.startsWith("Enter takes") || line.startsWith("cycling")) {
                return lines;
            }
        }
        throw new AssertionError("emulate-reader ended early: " + lines);
    }

    private static Path host(List<String> lines) {
        return Path.of(lines.stream().filter(l -> l.startsWith("connect the reader to: ")).findFirst().orElseThrow()
                .substring("connect the reader to: ".length()));
    }

    @Test
    void theCardNamedOnTheCommandLineIsOnTheReaderWithNoKeyPressed() throws Exception {
        assumeTrue(onPath("nfc-list"), "nfc-list not installed");
        List<String> lines = start("--card", "901F2AA4");
        Path host = host(lines);
        assertThat(host).isAbsolute();
        ProcessBuilder pb = new ProcessBuilder("nfc-list").redirectErrorStream(true);
        pb.environment().put("LIBNFC_DEVICE", "pn532_uart:" + host);
        Process p = pb.start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String listed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s+", "").toLowerCase();
        assertThat(listed).contains("1iso14443apassivetarget(s)found").contains("uid(nfcid1):901f2aa4");
    }

    @Test
    void aStudentsCardIsIssuedForTheAccountTheSimulatedCenterOpened() throws Exception {
        Path work = dir.resolve("work/sim");
        Files.createDirectories(work.resolve("keys"));
        List<Student> students = Population.make(7, 3, 0, 0, 0, 0);
        Roster.write(work.resolve("roster.tsv"), students);
        // the simulation's issuer desk: the emulator signs its cards there, a terminal reads them with what it holds
        CampusCard issuer = DevCards.at(work.resolve("keys/issuer")).reader();
        Student s = students.get(1);
        List<String> lines = start("--card", s.uidHex());
        assertThat(String.join("\n", lines)).contains("students from " + work.resolve("roster.tsv").toAbsolutePath())
                .contains("on the reader: " + s.uidHex() + " (" + s.name() + ", account " + s.accountId());
        try (var d = com.onecard.pos.reader.pn532.Pn532Driver.open(host(lines).toString(), 115200, issuer)) {
            var tap = d.poll(null, java.time.Instant.now()).orElseThrow();
            var v = issuer.verify(tap.uid(), tap.campusData());
            assertThat(v.result()).isEqualTo(CampusCard.Result.OK);
            assertThat(v.data().accountId()).isEqualTo(s.accountId());
        }
    }

    private static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }
}
