package com.onecard.pos.sim.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Student;
import com.onecard.pos.terminal.control.ControlClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A local user attacks the control socket of a real daemon (its own JVM, the shipped flags,
 * -Xmx64m) with a 17 MiB request line, 50 idle connections and a client that never reads its
 * answers, all at once ({@link LocalAttacker}, its own process). The daemon stays up, card sales go
 * on, the health check ({@code selftest}, run as the daemon's own user) answers, and each abuse is
 * counted in {@code posctl status}. Run twice: as another user in the socket's group (the field's
 * case: a technician's account; needs root to switch user), and as the daemon's own user.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlSocketAbuseIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path WORK = Path.of("target/it-control-abuse").toAbsolutePath();
    static final boolean ROOT_USER = "root".equals(System.getProperty("user.name"));
    static Simulation sim;
    static Path socket;
    /**
     * Where user {@code nobody} can reach the socket and the attacker's classes: the checkout may sit
     * under a folder only its owner can enter (a 0700 home or temp folder, as a fresh clone in
     * {@code mktemp -d} does), so both go to a folder of their own under /tmp, mode 0755.
     */
    static Path shared;

    @BeforeAll
    static void start() throws Exception {
        if (Files.exists(WORK)) {
            try (var w = Files.walk(WORK)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(WORK);
        sim = new Simulation(ROOT, WORK, 9, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        shared = Files.createTempDirectory(Path.of("/tmp"), "onecard-abuse-");
        Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path classes = shared.resolve("classes/" + LocalAttacker.class.getPackageName().replace('.', '/'));
        Files.createDirectories(classes);
        try (var own = Files.list(Path.of("target/test-classes/" + LocalAttacker.class.getPackageName().replace('.', '/')))) {
            for (Path c : own.filter(f -> f.getFileName().toString().matches("LocalAttacker(\\$.*)?\\.class")).toList()) {
                Files.copy(c, classes.resolve(c.getFileName()));
            }
        }
        try (var w = Files.walk(shared.resolve("classes"))) {
            for (Path f : w.toList()) {
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        if (ROOT_USER) {
            sim.terminalSetting("control.group", "nogroup");
            sim.terminalSetting("control.socket", shared.resolve("control.sock").toString());
        }
        sim.setUp(9);
        socket = sim.terminal().socket();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sim != null) {
            sim.close();
        }
        if (shared != null) {
            try (var w = Files.walk(shared)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Process attacker(String... asUser) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(asUser));
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", shared.resolve("classes").toString(), LocalAttacker.class.getName(), socket.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("ready")) {
            assertThat(line).doesNotContain("Exception");
        }
        assertThat(line).as("attacker under way").startsWith("ready");
        return p;
    }

    private static void salesGoOnAndTheHealthCheckAnswers(int expectedTooLong) throws Exception {
        Student payer = sim.students().stream().filter(s -> s.kind() == Student.Kind.NORMAL).findFirst().orElseThrow();
        for (int i = 0; i < 3; i++) {
            var sale = sim.tap(payer, 150);
            assertThat(sale.approved()).as("card sale %d during the attack: %s", i, sale).isTrue();
        }
        try (ControlClient health = new ControlClient(socket)) {
            JsonNode self = health.call("selftest");
            assertThat(self.path("checks").size()).as("selftest answered: %s", self).isGreaterThan(3);
            JsonNode ctl = health.call("status").path("control");
            assertThat(ctl.path("too_long").asLong()).as(ctl.toString()).isEqualTo(expectedTooLong);
        }
        assertThat(sim.terminal().alive()).isTrue();
    }

    @Test
    @Order(1)
    void anotherUserInTheSocketsGroupCannotStarveTheHealthCheck() throws Exception {
        assumeTrue(ROOT_USER, "switching to another user needs root");
        Process p = attacker("runuser", "-u", "nobody", "--");
        try {
            salesGoOnAndTheHealthCheckAnswers(1);
            try (ControlClient c = new ControlClient(socket)) {
                JsonNode ctl = c.call("status").path("control");
                // nobody holds at most its per-user share; the rest of its 50 only churned its own share
                assertThat(ctl.path("open").asLong()).as(ctl.toString()).isLessThanOrEqualTo(8 + 4);
                assertThat(ctl.path("evicted_idle").asLong() + ctl.path("refused_busy").asLong()).isGreaterThanOrEqualTo(40);
            }
        } finally {
            p.getOutputStream().close();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @Order(2)
    void theDaemonsOwnUserFloodingItDoesNotStopSalesOrTheHealthCheck() throws Exception {
        long before;
        try (ControlClient c = new ControlClient(socket)) {
            before = c.call("status").path("control").path("too_long").asLong();
        }
        Process p = attacker();
        try {
            salesGoOnAndTheHealthCheckAnswers((int) before + 1);
        } finally {
            p.getOutputStream().close();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
