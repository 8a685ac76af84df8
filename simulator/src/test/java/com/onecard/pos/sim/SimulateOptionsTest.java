package com.onecard.pos.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** scripts/simulate's options: refused by name before anything is started or wiped; one simulation per folder. */
class SimulateOptionsTest {

    private static String bad(String... args) {
        SimulateMain m = new SimulateMain();
        new CommandLine(m).parseArgs(args);
        return m.badOption(m.terminals == null ? 1 : m.terminals);
    }

    @Test
    void optionsOutsideTheirRangeAreRefusedByName() {
        assertThat(bad()).isNull();
        assertThat(bad("--students", "7", "--duration", "1", "--kills", "1", "--terminals", "10")).isNull();
        assertThat(bad("--students", "6")).contains("--students must be 7 to 100000").contains("two payment providers")
                .contains("got 6");
        assertThat(bad("--students", "-1")).contains("--students").contains("got -1");
        assertThat(bad("--students", "100001")).contains("--students");
        assertThat(bad("--duration", "0")).contains("--duration must be 1 to 3600 seconds, got 0");
        assertThat(bad("--kills", "0")).contains("--kills must be 1 to 1000, got 0");
        assertThat(bad("--light-terminals", "-2")).contains("--light-terminals must be 0 to 5000, got -2");
        assertThat(bad("--terminals", "11")).contains("--terminals must be 1 to 10, got 11");
        assertThat(bad("--terminals", "0")).contains("--terminals");
    }

    @Test
    void theQueueHasExactlyTheStudentsAskedFor() {
        for (int n : new int[] {6, 7, 20, 300}) {
            var q = Population.queue(1, n);
            assertThat(q).hasSize(n);
            assertThat(q).filteredOn(s -> s.kind() == Student.Kind.NORMAL).hasSize(n - Population.AWKWARD);
            assertThat(q).filteredOn(s -> s.kind() == Student.Kind.CLONE).hasSize(1);
        }
        assertThatThrownBy(() -> Population.queue(1, 5)).hasMessageContaining("at least 6");
    }

    @Test
    void aSecondSimulationOnTheSameFolderIsRefusedNamingTheFirstAndWipesNothing(@TempDir Path tmp) throws Exception {
        Path work = tmp.resolve("sim");
        Files.createDirectories(work);
        Path ledger = Files.writeString(work.resolve("center-ledger"), "a running simulation's data");
        try (WorkdirLock first = WorkdirLock.acquire(work, "--scenario lunch --keep")) {
            assertThatThrownBy(() -> WorkdirLock.acquire(work, "--scenario outage"))
                    .isInstanceOf(WorkdirLock.Busy.class)
                    .hasMessageContaining("in use by another simulation")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("--scenario lunch --keep")
                    .hasMessageContaining("another --workdir");
            PrintStream err = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            int exit;
            try {
                System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
                exit = new CommandLine(new SimulateMain()).execute("--root", tmp.toString(), "--workdir", work.toString());
            } finally {
                System.setErr(err);
            }
            assertThat(exit).isEqualTo(2);
            assertThat(captured.toString(StandardCharsets.UTF_8)).startsWith("simulate: ").contains("in use");
            assertThat(ledger).hasContent("a running simulation's data");
        }
        // released: the next one gets it
        try (WorkdirLock again = WorkdirLock.acquire(work, "--scenario outage")) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void aBadOptionIsRefusedBeforeTheFolderIsTouched(@TempDir Path tmp) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("sim"));
        Path kept = Files.writeString(work.resolve("keep-me"), "x");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new SimulateMain()).execute("--root", tmp.toString(), "--workdir", work.toString(),
                    "--students", "3");
        } finally {
            System.setErr(err);
        }
        assertThat(exit).isEqualTo(2);
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("simulate: --students must be 7 to 100000");
        assertThat(kept).exists();
    }

    @Test
    void aWorkFolderThatCannotBeMadeIsNamedWithoutAStackTrace(@TempDir Path tmp) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new SimulateMain()).execute("--root", tmp.toString(), "--workdir", "/proc/nope/sim");
        } finally {
            System.setErr(err);
        }
        String said = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(2);
        assertThat(said).startsWith("simulate: --workdir /proc/nope/sim cannot be used: /proc/nope")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aVerdictWithNothingCheckedSaysWhyItFailed() {
        Verdict v = new Verdict();
        assertThat(v.passed()).isFalse();
        assertThat(v.table()).contains("no invariant was checked").contains("no sale was approved").contains("RESULT: FAIL");
    }

    @Test
    void aKeptSimulationVerifiesAgainFromTheScenariosOwnChecks() {
        Verdict v = new Verdict();
        v.check("scenario_own_check", true, "never");
        v.beforeVerify();
        v.check("ledger_balances", false, "account 1 off by 100 fen");
        v.uploaded = 3;
        v.forgetVerification();
        assertThat(v.invariants).containsOnlyKeys("scenario_own_check");
        assertThat(v.problems).isEmpty();
        assertThat(v.uploaded).isZero();
    }
}
