package com.onecard.pos.packaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A newcomer who runs scripts/test sees one line per module and the totals, not the faults
 * the tests provoke on purpose: test logs go to files, each test class's output too, and the
 * console filter keeps the summary.
 */
class QuietTestRunIT {
    static final Path ROOT = Path.of(System.getProperty("pos.project.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void everyModulesTestLoggingGoesToAFileNotTheConsole() throws Exception {
        List<Path> configs;
        try (Stream<Path> s = Files.walk(ROOT, 5)) {
            configs = s.filter(p -> p.endsWith(Path.of("src/test/resources/logback-test.xml")))
                    .filter(p -> !ROOT.relativize(p).startsWith("work") && !ROOT.relativize(p).toString().contains("target/"))
                    .toList();
        }
        assertThat(configs).hasSizeGreaterThanOrEqualTo(5);
        for (Path c : configs) {
            String xml = Files.readString(c);
            assertThat(xml).as(c.toString()).doesNotContain("ConsoleAppender").contains("${onecard.test.log.dir");
        }
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        assertThat(pom.split("<redirectTestOutputToFile>true</redirectTestOutputToFile>", -1))
                .as("surefire and failsafe redirect each test class's output to a file").hasSize(3);
    }

    @Test
    void theConsoleShowsModulesAndTotalsNotWhatTestsLog() throws Exception {
        Path log = dir.resolve("maven.log");
        Files.writeString(log, """
                [INFO] Building reader-driver 0.1.0-SNAPSHOT                              [2/8]
                [INFO] --- surefire:3.5.4:test (default-test) @ reader-driver ---
                [INFO] Running com.onecard.pos.reader.loop.ReaderLoopTest
                19:45:50.859 - ERROR [main] SaleFlow - sale T01-40: journal write failed (database or disk is full)
                java.io.IOException: injected
                \tat com.onecard.pos.Foo.bar(Foo.java:1)
                19:47:41.803 - WARN  [center-io-27-1] SyncFrameDecoder - closing: malformed varint32 length prefix
                [INFO] Tests run: 8, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 1.155 s -- in com.onecard.pos.reader.loop.ReaderLoopTest
                [INFO] Results:
                [INFO] Tests run: 87, Failures: 0, Errors: 0, Skipped: 0
                [INFO] Building terminal 0.1.0-SNAPSHOT                                   [5/8]
                [INFO] --- surefire:3.5.4:test (default-test) @ terminal ---
                [INFO] Tests run: 53, Failures: 0, Errors: 0, Skipped: 1
                [INFO] --- failsafe:3.5.4:integration-test (default) @ terminal ---
                [ERROR] Tests run: 3, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 2 s <<< FAILURE! -- in com.onecard.pos.terminal.app.RestartIT
                [ERROR]   RestartIT.aTamperedJournalStopsTheStart:61 expected: 3 but was: 1
                [ERROR] Tests run: 5, Failures: 1, Errors: 0, Skipped: 0
                [INFO] BUILD FAILURE
                [INFO] Total time:  04:49 min
                """, StandardCharsets.UTF_8);
        Sh.Result r = Sh.run(dir, List.of("sh", "-c", "awk -f " + ROOT.resolve("scripts/test-summary.awk") + " < " + log));
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).doesNotContain("journal write failed").doesNotContain("IOException").doesNotContain("WARN")
                .doesNotContain("\tat ");
        assertThat(r.out()).contains("reader-driver  unit 87 tests, integration -")
                .contains("terminal       unit 53 tests (1 skipped), integration 5 tests (1 FAILED)")
                .contains("RestartIT.aTamperedJournalStopsTheStart:61")
                .contains("145 tests, 1 failed, 1 skipped; BUILD FAILURE in 04:49 min");
        assertThat(r.out().lines().count()).as(r.out()).isLessThanOrEqualTo(6);
    }
}
