package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.scanner.ScannerReader;
import com.onecard.pos.sim.reader.ScannerEmulator.Terminator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.onecard.pos.sim.reader.Recorder.await;
import static org.assertj.core.api.Assertions.assertThat;

/** ScannerReader against the scanner emulator over a real socat pty pair. */
class ScannerReaderIT {
    @TempDir
    Path dir;
    PtyPair pair;
    ScannerEmulator emulator;
    ScannerReader reader;
    final List<String> codes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        pair = PtyPair.start(dir.resolve("scanner"), dir.resolve("scanner-dev"));
        emulator = new ScannerEmulator(pair.device().toString(), 9600);
        reader = new ScannerReader(pair.host().toString(), 9600, codes::add);
        reader.start();
        await("scanner open", 5000, reader::connected);
    }

    @AfterEach
    void tearDown() {
        reader.close();
        emulator.close();
        pair.close();
    }

    @Test
    void codesArriveExactlyWhateverTheTerminator() throws IOException {
        String campusQr = "OC1:" + "A".repeat(120) + ":MAC=7Q2K";
        String longCode = "0123456789".repeat(50);
        emulator.scan("6901234567892");
        emulator.scan(campusQr, Terminator.CR);
        emulator.scan("https://pay.example/q?x=1&y=食堂", Terminator.LF);
        emulator.scan(longCode);
        await("4 codes", 5000, () -> codes.size() == 4);
        assertThat(codes).containsExactly("6901234567892", campusQr, "https://pay.example/q?x=1&y=食堂", longCode);
    }

    @Test
    void partialLineIsFlushedAfterTheIdleGap() throws IOException {
        emulator.scan("NO-TERMINATOR-1", Terminator.NONE);
        await("flushed by the idle gap", 3000, () -> codes.size() == 1);
        emulator.scan("NO-TERMINATOR-2", Terminator.NONE);
        await("the second one too", 3000, () -> codes.size() == 2);
        assertThat(codes).containsExactly("NO-TERMINATOR-1", "NO-TERMINATOR-2");
    }

    @Test
    void reconnectsWhenThePtyComesBackOnTheSamePath() throws IOException {
        emulator.close();
        pair.close();
        await("scanner lost", 5000, () -> !reader.connected());
        pair = PtyPair.start(dir.resolve("scanner"), dir.resolve("scanner-dev"));
        emulator = new ScannerEmulator(pair.device().toString(), 9600);
        await("scanner reopened", 8000, reader::connected);
        emulator.scan("AFTER-REPLUG");
        await("code after replug", 3000, () -> codes.size() == 1);
        assertThat(codes).containsExactly("AFTER-REPLUG");
        assertThat(reader.reconnects()).isEqualTo(1);
    }
}
