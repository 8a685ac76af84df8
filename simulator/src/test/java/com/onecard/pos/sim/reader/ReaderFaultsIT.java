package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.CardTap.CampusRead;
import com.onecard.pos.reader.ReaderConfig;
import com.onecard.pos.reader.ReaderState;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.loop.ReaderLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static com.onecard.pos.sim.reader.Recorder.await;
import static com.onecard.pos.sim.reader.ReaderOnEmulatorIT.DATA;
import static com.onecard.pos.sim.reader.ReaderOnEmulatorIT.CARDS;
import static org.assertj.core.api.Assertions.assertThat;

/** Unplug/replug, port missing at start, a stalled chip and a noisy line. */
class ReaderFaultsIT {
    @TempDir
    Path dir;
    PtyPair pair;
    Pn532Emulator emulator;
    ReaderLoop loop;
    final Recorder events = new Recorder();
    final VirtualCard card = VirtualCard.campus("C0FFEE01", CARDS.issuer(), DATA);

    @AfterEach
    void tearDown() {
        if (loop != null) {
            loop.close();
        }
        if (emulator != null) {
            emulator.stop();
        }
        if (pair != null) {
            pair.close();
        }
    }

    private ReaderLoop loop(Path host) {
        loop = new ReaderLoop(new ReaderConfig("pn532", host.toString(), 115200, CARDS.reader()), events, Clock.systemUTC());
        loop.start();
        return loop;
    }

    @Test
    void portMissingAtStartThenUnplugAndReplugOnTheSameLinks() throws IOException {
        Path host = dir.resolve("reader");
        Path device = dir.resolve("pn532");
        loop(host);
        await("disconnected while the port is missing", 3000, () -> loop.status().state() == ReaderState.DISCONNECTED
                && loop.status().lastError().contains(host.toString()));

        pair = PtyPair.start(host, device);
        emulator = new Pn532Emulator(device.toString(), 115200);
        await("OK once the port appears", 5000, () -> loop.status().state() == ReaderState.OK);
        emulator.place(card);
        await("tap", 3000, () -> events.taps.size() == 1);

        pair.close();
        await("DISCONNECTED after unplug", 5000, () -> loop.status().state() == ReaderState.DISCONNECTED);
        pair = PtyPair.start(host, device);
        await("OK after replug", 8000, () -> loop.status().state() == ReaderState.OK);
        assertThat(events.states).containsSubsequence(ReaderState.OK, ReaderState.DISCONNECTED, ReaderState.OK);
        // the card never left: an unplug must not turn one presentation into two taps
        long polled = emulator.commandsHandled();
        await("20 polls after replug", 5000, () -> emulator.commandsHandled() > polled + 20);
        assertThat(events.taps).hasSize(1);

        emulator.remove();
        await("removed", 3000, () -> events.removed.size() == 1);
        emulator.place(card);
        await("tap after replug", 3000, () -> events.taps.size() == 2);
        assertThat(events.taps.get(1).campusRead()).isEqualTo(CampusRead.OK);
    }

    /** No card: the chip listens without end; pulling the reader out mid-listen is still a disconnect, and a replug reads the next card. */
    @Test
    void unplugWhileTheChipListensIsADisconnectAndAReplugReadsTheNextCard() throws IOException {
        Path host = dir.resolve("reader");
        Path device = dir.resolve("pn532");
        pair = PtyPair.start(host, device);
        emulator = new Pn532Emulator(device.toString(), 115200);
        loop(host);
        await("OK", 5000, () -> loop.status().state() == ReaderState.OK);
        long polled = emulator.commandsHandled();
        await("listening", 5000, () -> emulator.commandsHandled() > polled);
        pair.close();
        await("DISCONNECTED after an unplug during a listen", 5000, () -> loop.status().state() == ReaderState.DISCONNECTED);
        pair = PtyPair.start(host, device);
        await("OK after replug", 8000, () -> loop.status().state() == ReaderState.OK);
        emulator.place(card);
        await("tap after replug", 3000, () -> events.taps.size() == 1);
        assertThat(events.taps.get(0).campusRead()).isEqualTo(CampusRead.OK);
    }

    @Test
    void stalledChipGoesDisconnectedAndRecovers() throws IOException {
        pair = PtyPair.startIn(dir);
        emulator = new Pn532Emulator(pair.device().toString(), 115200);
        loop(pair.host());
        await("OK", 5000, () -> loop.status().state() == ReaderState.OK);
        emulator.setMute(true);
        await("DISCONNECTED when the chip stops answering", 10_000,
                () -> loop.status().state() == ReaderState.DISCONNECTED);
        assertThat(events.states).contains(ReaderState.DEGRADED);
        emulator.setMute(false);
        await("OK again", 8000, () -> loop.status().state() == ReaderState.OK);
        emulator.place(card);
        await("tap", 3000, () -> events.taps.size() == 1);
        assertThat(events.taps.get(0).campusRead()).isEqualTo(CampusRead.OK);
    }

    @Test
    void emulatorClosingItsEndThenReopeningIsAReconnect() throws IOException {
        pair = PtyPair.startIn(dir);
        emulator = new Pn532Emulator(pair.device().toString(), 115200);
        loop(pair.host());
        await("OK", 5000, () -> loop.status().state() == ReaderState.OK);
        emulator.unplug();
        await("DISCONNECTED while the chip's end is closed", 10_000,
                () -> loop.status().state() == ReaderState.DISCONNECTED);
        emulator.replug();
        await("OK after the chip woke up again", 8000, () -> loop.status().state() == ReaderState.OK);
        emulator.place(card);
        await("tap", 3000, () -> events.taps.size() == 1);
        assertThat(events.taps.get(0).campusRead()).isEqualTo(CampusRead.OK);
    }

    @Test
    void noisyLineGivesNoFalseTapsAndStillReadsCards() throws IOException {
        pair = PtyPair.startIn(dir);
        emulator = new Pn532Emulator(pair.device().toString(), 115200);
        loop(pair.host());
        await("OK", 5000, () -> loop.status().state() == ReaderState.OK);

        emulator.setNoise(7);
        long c0 = emulator.commandsHandled();
        // a listen with no card lasts Pn532Driver.LISTEN (300 ms): 60 commands, 120 noisy frames
        await("60 commands on a noisy line", 40_000, () -> emulator.commandsHandled() > c0 + 60);
        assertThat(events.taps).isEmpty();

        emulator.place(card);
        await("tap through noise", 5000, () -> events.taps.size() == 1);
        assertThat(events.taps.get(0).campusRead()).isEqualTo(CampusRead.OK);
        assertThat(CARDS.reader().verify(card.uid(), events.taps.get(0).campusData()).result()).isEqualTo(CampusCard.Result.OK);

        emulator.setNoise(0);
        emulator.corruptNextResponses(3);
        emulator.dropNextAcks(3);
        await("corrupt frames counted", 5000, () -> loop.status().errors() > 0);
        long c1 = emulator.commandsHandled();
        await("commands after corrupt frames and lost ACKs", 5000, () -> emulator.commandsHandled() > c1 + 30);
        assertThat(events.taps).hasSize(1);
        await("DEGRADED clears to OK on a clean line", 5000, () -> loop.status().state() == ReaderState.OK);
    }

    @Test
    void lateResponsesOfAbortedCommandsAreDropped() throws IOException {
        pair = PtyPair.startIn(dir);
        emulator = new Pn532Emulator(pair.device().toString(), 115200);
        loop(pair.host());
        await("OK", 5000, () -> loop.status().state() == ReaderState.OK);
        emulator.place(card);
        emulator.setResponseDelay(Duration.ofMillis(1500));
        await("DEGRADED on timeouts", 5000, () -> loop.status().state() != ReaderState.OK);
        emulator.setResponseDelay(Duration.ZERO);
        await("tap once the chip is quick again", 10_000, () -> events.taps.size() == 1);
        assertThat(events.taps.get(0).campusRead()).isEqualTo(CampusRead.OK);
        long c = emulator.commandsHandled();
        await("30 commands", 5000, () -> emulator.commandsHandled() > c + 30);
        assertThat(events.taps).hasSize(1);
    }
}
