package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.CardTap.CampusRead;
import com.onecard.pos.reader.ReaderConfig;
import com.onecard.pos.reader.ReaderState;
import com.onecard.pos.reader.loop.ReaderLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;

import static com.onecard.pos.sim.reader.Recorder.await;
import static org.assertj.core.api.Assertions.assertThat;

/** ReaderLoop with driver "rdm6300" against the RDM6300 emulator over a real socat pty pair. */
class Rdm6300ReaderIT {
    static final byte[] TAG = HexFormat.of().parseHex("307E4DE5C2");
    static final byte[] OTHER = HexFormat.of().parseHex("0A12345678");

    @TempDir
    Path dir;
    PtyPair pair;
    Rdm6300Emulator emulator;
    ReaderLoop loop;
    final Recorder events = new Recorder();

    @BeforeEach
    void setUp() throws IOException {
        pair = PtyPair.start(dir.resolve("reader"), dir.resolve("rdm6300"));
        emulator = new Rdm6300Emulator(pair.device().toString(), 9600);
        loop = new ReaderLoop(new ReaderConfig("rdm6300", pair.host().toString(), 9600, null), events,
                Clock.systemUTC());
        loop.start();
        await("reader OK", 5000, () -> loop.status().state() == ReaderState.OK);
    }

    @AfterEach
    void tearDown() {
        loop.close();
        emulator.stop();
        pair.close();
    }

    @Test
    void oneTapPerPresentationAndARepresentationTapsAgain() {
        assertThat(loop.status().firmware()).isEqualTo("RDM6300");
        emulator.place(TAG);
        await("tap", 3000, () -> events.taps.size() == 1);
        CardTap tap = events.taps.get(0);
        assertThat(tap.uid()).isEqualTo(TAG);
        assertThat(tap.atqa()).isZero();
        assertThat(tap.sak()).isZero();
        assertThat(tap.campusRead()).isEqualTo(CampusRead.NOT_ATTEMPTED);

        long f0 = emulator.framesSent();
        await("tag held for 20 more repeats", 5000, () -> emulator.framesSent() > f0 + 20);
        assertThat(events.taps).hasSize(1);
        assertThat(events.removed).isEmpty();

        emulator.remove();
        await("removed", 3000, () -> events.removed.size() == 1);
        emulator.place(TAG);
        await("tap again", 3000, () -> events.taps.size() == 2);
        emulator.place(OTHER);
        await("swapped tag taps", 3000, () -> events.taps.size() == 3);
        assertThat(events.taps.get(2).uid()).isEqualTo(OTHER);
        assertThat(loop.status().taps()).isEqualTo(3);
    }

    @Test
    void noiseGivesNoFalseTapsAndTagsStillReadThroughIt() {
        emulator.setNoise(40);
        long n0 = emulator.noiseBytesSent();
        await("2500 noise bytes on an empty field", 20_000, () -> emulator.noiseBytesSent() > n0 + 2500);
        assertThat(events.taps).isEmpty();

        emulator.place(TAG);
        await("tap through noise", 3000, () -> events.taps.size() == 1);
        long f0 = emulator.framesSent();
        await("20 noisy repeats", 5000, () -> emulator.framesSent() > f0 + 20);
        assertThat(events.taps).hasSize(1);
        assertThat(events.taps.get(0).uid()).isEqualTo(TAG);
        assertThat(events.removed).isEmpty();
    }
}
