package com.onecard.pos.sim.posctl;

import com.onecard.pos.center.testing.TestPostgres;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Student;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * posctl as a technician types it ({@code scripts/posctl ...} in a shell) against a running
 * daemon with an emulated reader and a real center. Ordered: the last step unplugs the reader.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PosCtlIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path WORK = Path.of("target/it-posctl").toAbsolutePath();
    static Simulation sim;
    static String socket;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        if (Files.exists(WORK)) {
            try (var w = Files.walk(WORK)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(WORK);
        sim = new Simulation(ROOT, WORK, 5, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .database(TestPostgres.freshDatabase("posctl"));
        sim.setUp(7); // 2 normal students, the 5 awkward cards
        socket = sim.terminal().socket().toString();
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    static Run posctl(String... args) throws IOException, InterruptedException {
        return posctlWithInput(null, args);
    }

    /** posctl with {@code input} on its standard input (null: none). */
    static Run posctlWithInput(String input, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("scripts/posctl").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("ONECARD_POS_CLASSPATH", System.getProperty("java.class.path"));
        Path out = Files.createTempFile(WORK, "out", ".txt");
        Path err = Files.createTempFile(WORK, "err", ".txt");
        if (input != null) {
            Path in = Files.createTempFile(WORK, "in", ".txt");
            Files.writeString(in, input);
            pb.redirectInput(in.toFile());
        }
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("posctl " + String.join(" ", args) + " finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static Student payer() {
        return sim.students().stream().filter(s -> s.kind() == Student.Kind.NORMAL).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void helpAndUsageErrorsAsATechnicianSeesThem() throws Exception {
        Run help = posctl("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("status", "selftest", "Exit codes");
        Run bad = posctl("sale", "12.345", "--socket", socket);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("more than 2 decimals");
        Run gone = posctl("status", "--socket", WORK.resolve("nothing.sock").toString());
        assertThat(gone.exit()).isEqualTo(3);
        assertThat(gone.err()).contains("nothing.sock").contains("daemon running");
    }

    /** posctl reads the reader registry: the models it lists and the ones probe accepts are the registered ones. */
    @Test
    @Order(8)
    void readerModelsAndProbeComeFromTheReaderRegistry() throws Exception {
        Run models = posctl("reader", "models");
        assertThat(models.exit()).as(models.err()).isZero();
        assertThat(models.out()).containsPattern("pn532 +card reader +115200 baud")
                .containsPattern("rdm6300 +card reader +9600 baud").containsPattern("scanner +code scanner +9600 baud");
        Run unknown = posctl("reader", "probe", "--driver", "gm65", "--port", WORK.resolve("no-such-tty").toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("--driver 'gm65' is not a model of the reader registry (pn532, rdm6300, scanner)");
        Run missing = posctl("reader", "probe", "--driver", "rdm6300", "--port", WORK.resolve("no-such-tty").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no-such-tty").doesNotContain("Exception");
    }

    @Test
    @Order(2)
    void statusShowsReaderAndCenter() throws Exception {
        // a loaded machine can cost the emulated PN532 a frame at start: DEGRADED, back to OK after clean polls
        long deadline = System.nanoTime() + 30_000_000_000L;
        Run r;
        do {
            r = posctl("status", "--socket", socket);
        } while (!r.out().contains("reader     OK") && System.nanoTime() < deadline);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("reader     OK").contains("center     connected").contains("PN532 v1.6");
        Run j = posctl("status", "--socket", socket, "--json");
        assertThat(new ObjectMapper().readTree(j.out()).path("terminal_id").asText()).isEqualTo(Simulation.TERMINAL);
    }

    @Test
    @Order(3)
    void saleThenReverseThenJournalExport() throws Exception {
        Student s = payer();
        var sold = sim.tap(s, 1250);
        assertThat(sold.approved()).isTrue();
        Run card = posctl("card", s.uidHex(), "--socket", socket);
        assertThat(card.out()).contains(s.name()).contains("not blacklisted");
        Run rev = posctl("reverse", "--socket", socket);
        assertThat(rev.exit()).as(rev.err()).isZero();
        assertThat(rev.out()).contains("sale " + sold.saleId() + " (seq " + sold.seq() + ")").contains("¥12.50")
                .contains(s.name());
        Run again = posctl("reverse", "--socket", socket);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already reversed");
        Path csv = WORK.resolve("journal.csv");
        Run exp = posctl("journal", "--csv", csv.toString(), "--socket", socket);
        assertThat(exp.exit()).as(exp.err()).isZero();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).startsWith("seq,kind,sale_id");
        assertThat(lines).anyMatch(l -> l.contains(",SALE," + sold.saleId() + ",")).anyMatch(l -> l.contains(",REVERSAL,"));
        Run settle = posctl("settle", "--socket", socket);
        assertThat(settle.exit()).as(settle.out() + settle.err()).isZero();
        assertThat(settle.out()).contains("agree: yes");
    }

    @Test
    @Order(4)
    void configSetRefusesABadValueAndKeepsTheFile() throws Exception {
        Path cfg = sim.terminal().configFile();
        String before = Files.readString(cfg);
        Run bad = posctl("config", "set", "auth.offline.max-sale-fen", "-5", "--socket", socket);
        assertThat(bad.exit()).as("a refused value is a configuration fault").isEqualTo(2);
        assertThat(bad.err()).contains("auth.offline.max-sale-fen").contains("between 0 and");
        assertThat(Files.readString(cfg)).isEqualTo(before);
        Run ok = posctl("config", "set", "auth.offline.max-sale-fen", "3000", "--socket", socket);
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("applied");
        assertThat(Files.readString(cfg)).contains("auth.offline.max-sale-fen=3000");
        Run show = posctl("config", "show", "--socket", socket);
        assertThat(show.out()).contains("auth.offline.max-sale-fen=3000");
    }

    @Test
    @Order(5)
    void theCardPasswordComesOnlyFromStandardInputAndEveryChangeIsAudited() throws Exception {
        Run argv = posctl("pin", "123456", "--socket", socket);
        assertThat(argv.exit()).isEqualTo(2);
        assertThat(argv.err()).contains("never given on the command line");
        Run stdin = posctlWithInput("123456\n", "pin", "--socket", socket);
        assertThat(stdin.exit()).as("read from stdin, then refused by the daemon: no sale waits").isEqualTo(1);
        assertThat(stdin.err()).contains("no sale is waiting for a card password");
        Run audit = posctl("journal", "--audit", "--tail", "50", "--socket", socket, "--json");
        assertThat(audit.exit()).as(audit.err()).isZero();
        var entries = new ObjectMapper().readTree(audit.out()).path("audit");
        String me = System.getProperty("user.name");
        var reverse = java.util.stream.StreamSupport.stream(entries.spliterator(), false)
                .filter(e -> e.path("command").asText().equals("reverse") && e.path("outcome").asText().startsWith("ok")).findFirst();
        assertThat(reverse).as("the reverse of step 3 in %s", entries).isPresent();
        assertThat(reverse.get().path("user").asText()).isEqualTo(me);
        assertThat(reverse.get().path("pid").asLong()).as("posctl's pid, checked against the kernel's uid").isPositive();
        assertThat(reverse.get().path("program").asText()).isEqualTo("java");
        assertThat(entries.toString()).contains("config-set").contains("auth.offline.max-sale-fen=3000")
                .contains("card password entered").doesNotContain("123456");
        Run table = posctl("journal", "--audit", "--socket", socket);
        assertThat(table.out()).contains("reverse").contains(me + "(");
    }

    @Test
    @Order(5)
    void screenIsSavedAsPng() throws Exception {
        Path png = WORK.resolve("screen.png");
        Run r = posctl("screen", "--out", png.toString(), "--socket", socket);
        assertThat(r.exit()).as(r.err()).isZero();
        byte[] head = Files.readAllBytes(png);
        assertThat(head[1]).isEqualTo((byte) 'P');
        assertThat(head[2]).isEqualTo((byte) 'N');
    }

    @Test
    @Order(6)
    void theCenterPushesAConfigChangeAndABadOneIsRefused() throws Exception {
        sim.center().ledger().messages().pushConfig(Simulation.TERMINAL, "auth.offline.max-sale-fen", "-1");
        sim.center().ledger().messages().pushConfig(Simulation.TERMINAL, "auth.offline.max-sale-fen", "2500");
        long deadline = System.nanoTime() + 15_000_000_000L;
        Run show;
        do {
            show = posctl("config", "show", "--socket", socket);
        } while (!show.out().contains("auth.offline.max-sale-fen=2500") && System.nanoTime() < deadline);
        assertThat(show.out()).contains("auth.offline.max-sale-fen=2500");
        assertThat(Files.readString(sim.terminal().configFile())).contains("auth.offline.max-sale-fen=2500")
                .doesNotContain("max-sale-fen=-1");
        assertThat(Files.readString(sim.terminal().logDir().resolve("onecard-pos.log")))
                .contains("configuration from the card center refused");
    }

    @Test
    @Order(6)
    void theFeedbackTestPlaysOnTheDaemonsGpioOnRequestAndIsAudited() throws Exception {
        long[] before = switchedOn(null);
        Run t = posctl("feedback", "test", "--socket", socket);
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.out()).contains("played green LED, red LED, one beep on mock-digital-output on pi4j's in-memory mock:"
                + " buzzer line 18, green LED line 23, red LED line 24");
        long[] once = {before[0] + 1, before[1] + 1, before[2] + 1};
        assertThat(switchedOn(once)).as("buzzer, green, red each switched on once on the daemon's (mock) pins").containsExactly(once);
        Run quiet = posctl("selftest", "--socket", socket);
        assertThat(quiet.out()).contains("--feedback blinks and beeps each once").doesNotContain("blinked");
        Run loud = posctl("selftest", "--feedback", "--socket", socket);
        assertThat(loud.exit()).as(loud.out()).isZero();
        assertThat(loud.out()).contains("green, red blinked and one beep played");
        long[] twice = {before[0] + 2, before[1] + 2, before[2] + 2};
        assertThat(switchedOn(twice)).as("selftest --feedback played it once more; plain selftest did not").containsExactly(twice);
        Run status = posctl("status", "--socket", socket);
        assertThat(status.out()).contains("gpio       mock  mock-digital-output on pi4j's in-memory mock").contains("scanner    none configured")
                .contains("keypad     none configured");
        Run audit = posctl("journal", "--audit", "--tail", "20", "--socket", socket, "--json");
        assertThat(audit.out()).contains("feedback-test");
    }

    @Test
    @Order(6)
    void theKeepConsoleLaysAStudentsCardOnTheReaderForASaleStartedWithPosctl() throws Exception {
        Student second = sim.students().get(1);
        assertThat(second.kind()).isEqualTo(Student.Kind.NORMAL);
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("scripts/posctl").toString(), "sale", "3.00",
                "--wait", "30", "--socket", socket));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("ONECARD_POS_CLASSPATH", System.getProperty("java.class.path"));
        Path out = Files.createTempFile(WORK, "sale", ".txt");
        Process sale = pb.redirectOutput(out.toFile()).redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            Run st;
            do {
                st = posctl("status", "--socket", socket, "--json");
            } while (!st.out().contains("\"WAIT_CARD\"") && System.nanoTime() < deadline);
            assertThat(st.out()).as("the posctl sale waits for a card").contains("WAIT_CARD");
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            boolean quit = new com.onecard.pos.sim.KeepConsole(sim, new java.io.BufferedReader(new java.io.StringReader(
                    "frobnicate\ntap\ntap 99\ntap 2 T09\nstudents\ntap 2\nquit\ntap 1\n")),
                    new PrintStream(console, true, StandardCharsets.UTF_8)).run();
            String said = console.toString(StandardCharsets.UTF_8);
            assertThat(quit).isTrue();
            assertThat(said).contains("unknown command 'frobnicate'").contains("tap needs a student")
                    .contains("no student 99; there are 7").contains("no window T09; windows: T01")
                    .contains(second.name() + "'s card " + second.uidHex() + " was read at T01");
            assertThat(sale.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String answer = Files.readString(out);
            assertThat(sale.exitValue()).as(answer).isZero();
            assertThat(answer).contains("APPROVED ¥3.00").contains(second.name());
            // the roster names every student with what loss/unloss and the password forms need
            String roster = Files.readString(sim.roster());
            assertThat(roster.lines()).hasSize(1 + sim.students().size());
            assertThat(roster).contains(String.join("\t", second.name(), "NORMAL", second.uidHex(),
                    Long.toString(second.accountId()))).contains(second.nationalId()).contains(second.password());
            assertThat(said).contains(second.nationalId()).as("the console's students command").isNotNull();
        } finally {
            sale.destroyForcibly();
        }
    }

    /** The daemon's count of times buzzer, green and red were switched on: now (expected null), or once it reaches {@code expected} (or after 10 s). */
    private static long[] switchedOn(long[] expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long[] got;
        do {
            var on = new ObjectMapper().readTree(posctl("status", "--socket", socket, "--json").out()).path("gpio").path("switched_on");
            got = new long[]{on.path("buzzer").asLong(), on.path("green").asLong(), on.path("red").asLong()};
            if (expected == null || java.util.Arrays.equals(got, expected)) {
                break;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < deadline);
        return got;
    }

    @Test
    @Order(7)
    void selftestPassesThenFailsWhileTheReaderIsUnplugged() throws Exception {
        Run ok = posctl("selftest", "--socket", socket);
        assertThat(ok.exit()).as(ok.out()).isZero();
        // pull the reader's cable: end the socat that carries its serial line
        Process kill = new ProcessBuilder("pkill", "-f", "link=" + WORK.resolve(Simulation.TERMINAL + "/tty-reader")).start();
        assertThat(kill.waitFor()).isZero();
        long deadline = System.nanoTime() + 15_000_000_000L;
        Run st;
        do {
            st = posctl("status", "--socket", socket, "--json");
        } while (!st.out().contains("\"DISCONNECTED\"") && System.nanoTime() < deadline);
        assertThat(st.out()).contains("DISCONNECTED");
        Run fail = posctl("selftest", "--socket", socket);
        assertThat(fail.exit()).as(fail.out()).isEqualTo(4);
        assertThat(fail.out()).contains("FAULT  reader");
        Run hint = posctl("status", "--socket", socket);
        assertThat(hint.out()).contains("hint").contains("reader probe");
    }
}
