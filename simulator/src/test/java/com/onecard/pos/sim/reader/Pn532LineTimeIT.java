package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.pn532.Pn532Frame;
import com.onecard.pos.reader.serial.JSerialCommLink;
import com.onecard.pos.reader.serial.SerialLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emulator takes the time a real PN532 would: the host's bytes cross the line before the chip
 * acts on them (host → chip), the ACK and the response cross it back (chip → host), and the chip's
 * own time (RF exchanges, firmware allowance) passes between ACK and response. Only lower bounds are
 * asserted (the emulator may be late on a busy machine, never early), so the test cannot flake on load.
 */
class Pn532LineTimeIT {
    @TempDir
    Path dir;
    PtyPair pair;
    Pn532Emulator emulator;
    SerialLink host;

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
        if (emulator != null) {
            emulator.stop();
        }
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void aCommandCrossesTheLineBothWaysAndTheChipTakesItsOwnTime() throws Exception {
        int baud = 1200; // 8.3 ms a byte: the line dominates any scheduling delay
        long firmwareUs = 200_000;
        open(baud);
        emulator.setTiming(new Pn532Timing(firmwareUs));
        byte[] wake = new byte[16];
        wake[0] = 0x55;
        wake[1] = 0x55;
        byte[] cmd = Pn532Frame.command(0x02).encode();
        byte[] out = concat(wake, cmd);
        byte[] ack = Pn532Frame.ack().encode();

        long t0 = System.nanoTime();
        host.write(out);
        readExactly(ack.length);
        long ackAt = System.nanoTime();
        byte[] resp = readFrame();
        long respAt = System.nanoTime();

        assertThat(resp[6]).as("GetFirmwareVersion answered").isEqualTo((byte) 0x03);
        assertThat(ackAt - t0).as("ACK complete only after the command's %d bytes went to the chip and the ACK's %d came back",
                out.length, ack.length).isGreaterThanOrEqualTo(byteTimes(out.length + ack.length, baud));
        assertThat(respAt - t0).as("response after the line both ways, the chip's firmware time and its own %d bytes", resp.length)
                .isGreaterThanOrEqualTo(byteTimes(out.length + ack.length, baud) + firmwareUs * 1000 + byteTimes(resp.length, baud));
    }

    @Test
    void anEmptyFieldCostsEveryActivationAttemptTheHostAskedFor() throws Exception {
        int baud = 115200;
        open(baud);
        byte[] wake = new byte[16];
        wake[0] = 0x55;
        wake[1] = 0x55;
        // RFConfiguration item 05: MxRtyATR, MxRtyPSL, MxRtyPassiveActivation = 200 (201 attempts)
        host.write(concat(wake, Pn532Frame.command(0x32, (byte) 5, (byte) 0xFF, (byte) 1, (byte) 200).encode()));
        readExactly(6);
        readFrame();
        byte[] out = Pn532Frame.command(0x4A, (byte) 1, (byte) 0).encode();
        long t0 = System.nanoTime();
        host.write(out);
        readExactly(6);
        byte[] resp = readFrame();
        long respAt = System.nanoTime();

        assertThat(resp[7]).as("no target in the field").isEqualTo((byte) 0);
        long rfNanos = new Pn532Timing(0).micros(0x4A, new byte[]{1, 0}, false, 201) * 1000;
        assertThat(rfNanos).as("201 REQAs, each waiting for an ATQA, at 106 kbit/s").isGreaterThan(80_000_000L);
        assertThat(respAt - t0).as("command, ACK and response on the line plus every activation attempt")
                .isGreaterThanOrEqualTo(byteTimes(out.length + 6 + resp.length, baud) + rfNanos);
    }

    @Test
    void aCardPlacedWhileTheChipListensAnswersItsNextAttempt() throws Exception {
        open(115200);
        byte[] wake = new byte[16];
        wake[0] = 0x55;
        wake[1] = 0x55;
        // MxRtyPassiveActivation = 200: the chip listens through 201 attempts (≈ 90 ms) before "no card"
        host.write(concat(wake, Pn532Frame.command(0x32, (byte) 5, (byte) 0xFF, (byte) 1, (byte) 200).encode()));
        readExactly(6);
        readFrame();
        host.write(Pn532Frame.command(0x4A, (byte) 1, (byte) 0).encode());
        readExactly(6);
        // the ACK came after the chip took the command with no card in the field; the card comes now
        emulator.place(VirtualCard.blank("04A1B2C3"));
        byte[] resp = readFrame();

        assertThat(resp[7]).as("the card that entered the field during the attempts is listed").isEqualTo((byte) 1);
    }

    /** MxRtyPassiveActivation 0xFF (UM0701-02 §7.3.1): the chip listens until a card comes, however late. */
    @Test
    void aListenWithoutEndHearsACardThatComesLate() throws Exception {
        open(115200);
        listenForever();
        host.write(Pn532Frame.command(0x4A, (byte) 1, (byte) 0).encode());
        readExactly(6);
        assertThat(host.read(new byte[64], Duration.ofMillis(300))).as("no answer while no card came").isZero();
        emulator.place(VirtualCard.blank("04A1B2C3"));
        byte[] resp = readFrame();
        assertThat(resp[7]).as("the card that came 300 ms into the listen is listed").isEqualTo((byte) 1);
    }

    /**
     * The host aborts a listen with an ACK frame (UM0701-02 §6.2): the chip answers nothing to it, not even
     * when a card comes afterwards, and takes the next command.
     */
    @Test
    void theHostsAckAbortsAListenAndTheChipTakesTheNextCommand() throws Exception {
        open(115200);
        listenForever();
        host.write(Pn532Frame.command(0x4A, (byte) 1, (byte) 0).encode());
        readExactly(6);
        host.write(Pn532Frame.ack().encode());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (emulator.commandsAborted() == 0) {
            assertThat(System.nanoTime()).as("the listen aborted within 10 s").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        emulator.place(VirtualCard.blank("04A1B2C3"));
        assertThat(host.read(new byte[64], Duration.ofMillis(300))).as("no answer to the aborted listen").isZero();
        host.write(Pn532Frame.command(0x02).encode());
        readExactly(6);
        assertThat(readFrame()[6]).as("GetFirmwareVersion answered after the abort").isEqualTo((byte) 0x03);
    }

    @Test
    void aMutedChipAnswersNothingEvenToACommandThatArrivesWithTheAbortOfItsListen() throws Exception {
        open(115200);
        listenForever();
        host.write(Pn532Frame.command(0x4A, (byte) 1, (byte) 0).encode());
        readExactly(6);
        emulator.setMute(true);
        // the driver's abort and its next listen, coalesced in one read as a loaded host delivers them
        byte[] abortAndListen = concat(Pn532Frame.ack().encode(), Pn532Frame.command(0x4A, (byte) 1, (byte) 0).encode());
        host.write(abortAndListen);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (emulator.bytesIgnored() < abortAndListen.length) {
            assertThat(System.nanoTime()).as("the muted chip took the abort and the listen as a stalled chip "
                    + "(ignored " + emulator.bytesIgnored() + " bytes)").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        assertThat(host.read(new byte[64], Duration.ofMillis(300))).as("a stalled chip answers nothing").isZero();
        emulator.setMute(false);
        host.write(Pn532Frame.command(0x02).encode());
        readExactly(6);
        assertThat(readFrame()[6]).as("GetFirmwareVersion answered once the chip is back").isEqualTo((byte) 0x03);
    }

    private void listenForever() throws IOException {
        byte[] wake = new byte[16];
        wake[0] = 0x55;
        wake[1] = 0x55;
        host.write(concat(wake, Pn532Frame.command(0x32, (byte) 5, (byte) 0xFF, (byte) 1, (byte) 0xFF).encode()));
        readExactly(6);
        readFrame();
    }

    private void open(int baud) throws IOException {
        pair = PtyPair.startIn(dir);
        emulator = new Pn532Emulator(pair.device().toString(), baud);
        host = JSerialCommLink.open(pair.host().toString(), baud);
    }

    private static long byteTimes(int bytes, int baud) {
        return bytes * 10L * 1_000_000_000L / baud;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Bytes read past the last frame asked for (a late read may return the ACK and the response at once). */
    private byte[] pending = new byte[0];

    private byte[] readExactly(int n) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        got.write(pending, 0, pending.length);
        byte[] buf = new byte[64];
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (got.size() < n) {
            assertThat(System.nanoTime()).as("%d bytes from the emulator within 10 s, got %d", n, got.size()).isLessThan(deadline);
            int r = host.read(buf, Duration.ofMillis(200));
            if (r > 0) {
                got.write(buf, 0, r);
            }
        }
        byte[] all = got.toByteArray();
        pending = java.util.Arrays.copyOfRange(all, n, all.length);
        return java.util.Arrays.copyOf(all, n);
    }

    /** A normal information frame: 00 00 FF LEN LCS TFI … DCS 00. */
    private byte[] readFrame() throws IOException {
        byte[] head = readExactly(5);
        int len = head[3] & 0xFF;
        return concat(head, readExactly(len + 2));
    }
}
