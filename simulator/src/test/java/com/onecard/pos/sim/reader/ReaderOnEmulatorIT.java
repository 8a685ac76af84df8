package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.CardTap.CampusRead;
import com.onecard.pos.reader.ReaderConfig;
import com.onecard.pos.reader.ReaderState;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.card.CardData;
import com.onecard.pos.reader.loop.ReaderLoop;
import com.onecard.pos.reader.pn532.Pn532Driver;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Our ReaderLoop and PN532 driver against the emulator over a real socat pty pair. */
class ReaderOnEmulatorIT {
    /** A development issuer desk under target/, and the reader's side of it. */
    static final DevCards CARDS = devCards();

    static DevCards devCards() {
        try {
            return DevCards.at(Path.of("target/test-issuer").toAbsolutePath());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
    static final CardData DATA = new CardData(20230417L, 3, 0);

    @TempDir
    Path dir;
    PtyPair pair;
    Pn532Emulator emulator;
    ReaderLoop loop;
    final Recorder events = new Recorder();

    @BeforeEach
    void setUp() throws IOException {
        pair = PtyPair.startIn(dir);
        emulator = new Pn532Emulator(pair.device().toString(), 115200);
    }

    @AfterEach
    void tearDown() {
        if (loop != null) {
            loop.close();
        }
        emulator.stop();
        pair.close();
    }

    private void startLoop() {
        loop = new ReaderLoop(new ReaderConfig("pn532", pair.host().toString(), 115200, CARDS.reader()), events, Clock.systemUTC());
        loop.start();
        await("reader OK", 5000, () -> loop.status().state() == ReaderState.OK);
        assertThat(loop.status().firmware()).isEqualTo("PN532 v1.6");
    }

    /**
     * What the simulator and the benchmarks wait for between two sales: once the emulator says the field was
     * seen empty, the same card put back at once is a new presentation (a second tap), not the card left on the reader.
     */
    @Test
    void afterTheEmptyFieldWasSeenTheSameCardPutBackIsASecondTap() {
        startLoop();
        VirtualCard card = VirtualCard.campus("04A1B2C3", CARDS.issuer(), DATA);
        for (int i = 1; i <= 5; i++) {
            emulator.place(card);
            int n = i;
            await("tap " + n, 3000, () -> events.taps.size() == n);
            emulator.remove();
            assertThat(emulator.awaitEmptyField(java.time.Duration.ofSeconds(5))).as("field seen empty").isTrue();
        }
        assertThat(events.removed).hasSize(5);
    }

    @Test
    void campusCardTapsOncePerPresentationWithVerifiedData() {
        startLoop();
        VirtualCard card = VirtualCard.campus("04A1B2C3", CARDS.issuer(), DATA);

        long t0 = System.nanoTime();
        emulator.place(card);
        await("first tap", 3000, () -> events.taps.size() == 1);
        long latencyMs = (events.tapNanos.get(0) - t0) / 1_000_000;
        System.out.println("tap latency (place -> onTap with campus data): " + latencyMs + " ms");

        CardTap tap = events.taps.get(0);
        assertThat(tap.uidHex()).isEqualTo("04A1B2C3");
        assertThat(tap.atqa()).isEqualTo(0x0004);
        assertThat(tap.sak()).isEqualTo(0x08);
        assertThat(tap.campusRead()).isEqualTo(CampusRead.OK);
        CampusCard.Verification v = CARDS.reader().verify(tap.uid(), tap.campusData());
        assertThat(v.result()).isEqualTo(CampusCard.Result.OK);
        assertThat(v.data()).isEqualTo(DATA);

        long polled = emulator.commandsHandled();
        await("card left on the reader for 30 more commands", 5000, () -> emulator.commandsHandled() > polled + 30);
        assertThat(events.taps).hasSize(1);
        // the UID is told as soon as the card answers, before its sectors are read; a card left on
        // the reader is neither read nor told again
        assertThat(events.order).containsExactly("seen 04A1B2C3", "tap 04A1B2C3");

        emulator.remove();
        await("removal", 3000, () -> events.removed.size() == 1);
        emulator.place(card);
        await("second tap", 3000, () -> events.taps.size() == 2);
        assertThat(events.taps.get(1).campusRead()).isEqualTo(CampusRead.OK);
        assertThat(loop.status().taps()).isEqualTo(2);
    }

    @Test
    void bareUidCloneIsAuthFailedAndStillTapsOnce() {
        startLoop();
        emulator.place(VirtualCard.blank("04A1B2C3"));
        await("clone tap", 3000, () -> events.taps.size() == 1);
        assertThat(events.taps.get(0).campusRead()).isEqualTo(CampusRead.AUTH_FAILED);
        assertThat(events.taps.get(0).campusData()).isEmpty();
        // the failed auth halted the card; the re-select keeps it "present" instead of re-tapping
        long polled = emulator.commandsHandled();
        await("30 more commands", 5000, () -> emulator.commandsHandled() > polled + 30);
        assertThat(events.taps).hasSize(1);
        assertThat(events.removed).isEmpty();
    }

    @Test
    void sevenByteUidCampusCardAuthenticatesWithLastFourBytes() {
        startLoop();
        emulator.place(VirtualCard.campus("04112233445566", CARDS.issuer(), DATA));
        await("tap", 3000, () -> events.taps.size() == 1);
        CardTap tap = events.taps.get(0);
        assertThat(tap.uidHex()).isEqualTo("04112233445566");
        assertThat(tap.campusRead()).isEqualTo(CampusRead.OK);
        assertThat(CARDS.reader().verify(tap.uid(), tap.campusData()).result()).isEqualTo(CampusCard.Result.OK);
    }

    @Test
    void probeReportsFirmwareAndNamesThePortWhenMissing() throws IOException {
        assertThat(Pn532Driver.probe(pair.host().toString(), 115200)).isEqualTo("PN532 v1.6");
        Path missing = dir.resolve("nothing-here");
        assertThatThrownBy(() -> Pn532Driver.probe(missing.toString(), 115200))
                .isInstanceOf(IOException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void mutedChipMakesProbeFailWithPortAndTime() {
        emulator.setMute(true);
        assertThatThrownBy(() -> Pn532Driver.probe(pair.host().toString(), 115200))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(pair.host().toString()).hasMessageContaining(" ms");
    }
}
