package com.onecard.pos.reader.rdm6300;

import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.CardTap.CampusRead;
import com.onecard.pos.reader.serial.ReaderDisconnectedException;
import com.onecard.pos.reader.serial.SerialLink;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The driver on a queued fake link and a hand-driven clock: presence and its timeout. */
class Rdm6300DriverTest {
    private static final byte[] TAG = HexFormat.of().parseHex("307E4DE5C2");
    private static final byte[] OTHER = HexFormat.of().parseHex("0100ABCDEF");
    private static final Instant NOW = Instant.parse("2026-01-05T11:30:00Z");

    private final QueuedLink link = new QueuedLink();
    private long nanos;
    private final Rdm6300Driver driver = new Rdm6300Driver(link, () -> nanos);

    private Optional<CardTap> pollAfter(long ms, byte[]... frames) throws IOException {
        nanos += ms * 1_000_000;
        for (byte[] f : frames) {
            link.queue.add(new Rdm6300Frame(f).encode());
        }
        return driver.poll(null, NOW);
    }

    @Test
    void aTagNeedsTwoFramesThenStaysPresentWhileFramesKeepComing() throws IOException {
        assertThat(pollAfter(0, TAG)).isEmpty();
        Optional<CardTap> tap = pollAfter(65, TAG);
        assertThat(tap).isPresent();
        assertThat(tap.get().uid()).isEqualTo(TAG);
        assertThat(tap.get().atqa()).isZero();
        assertThat(tap.get().sak()).isZero();
        assertThat(tap.get().campusRead()).isEqualTo(CampusRead.NOT_ATTEMPTED);
        assertThat(tap.get().campusData()).isEmpty();
        assertThat(tap.get().at()).isEqualTo(NOW);
        for (int i = 0; i < 20; i++) {
            assertThat(pollAfter(65, TAG)).isPresent();
        }
        // between repeats the field is quiet, but the tag is still there
        assertThat(pollAfter(100)).isPresent();
    }

    @Test
    void noFrameForThePresenceTimeoutMeansRemoved() throws IOException {
        pollAfter(0, TAG);
        assertThat(pollAfter(65, TAG)).isPresent();
        assertThat(pollAfter(Rdm6300Driver.PRESENCE_TIMEOUT.toMillis())).isPresent();
        assertThat(pollAfter(1)).isEmpty();
    }

    @Test
    void phantomTagsWithValidChecksumsNeverBecomeATapAndAreCounted() throws IOException {
        // from public bug reports against the module: all zeros, long runs of zeros, and the numbers reported
        for (String phantom : new String[]{"0000000000", "000000078F", "00F00000F0", "F000060007", "DAEF6FEE2B"}) {
            byte[] p = HexFormat.of().parseHex(phantom);
            for (int i = 0; i < 5; i++) {
                assertThat(pollAfter(65, p)).as(phantom).isEmpty();
            }
            assertThat(pollAfter(300)).isEmpty();
        }
        assertThat(driver.implausible()).isEqualTo(25);
        assertThat(driver.errors()).as("checksums were valid: not link errors").isZero();
        // a real tag still reads, and phantoms between its frames do not end it
        pollAfter(0, TAG);
        assertThat(pollAfter(65, TAG)).isPresent();
        assertThat(pollAfter(65, HexFormat.of().parseHex("0000000000"), TAG).map(CardTap::uid)).contains(TAG);
    }

    @Test
    void aSingleStrayFrameIsNotATag() throws IOException {
        assertThat(pollAfter(0, OTHER)).isEmpty();
        assertThat(pollAfter(300)).isEmpty();
        assertThat(pollAfter(65, OTHER)).isEmpty();
    }

    @Test
    void aSwappedTagBecomesPresentAfterTwoOfItsFrames() throws IOException {
        pollAfter(0, TAG);
        pollAfter(65, TAG);
        assertThat(pollAfter(65, OTHER).map(CardTap::uid)).contains(TAG);
        assertThat(pollAfter(65, OTHER).map(CardTap::uid)).contains(OTHER);
    }

    @Test
    void corruptFramesAreCountedAsErrors() throws IOException {
        byte[] bad = new Rdm6300Frame(TAG).encode();
        bad[5] = 'Z';
        link.queue.add(bad);
        assertThat(driver.poll(null, NOW)).isEmpty();
        assertThat(driver.errors()).isEqualTo(1);
        assertThat(driver.firmware()).isEqualTo("RDM6300");
    }

    @Test
    void aLostPortIsReportedAsDisconnected() {
        link.gone = true;
        assertThatThrownBy(() -> driver.poll(null, NOW)).isInstanceOf(ReaderDisconnectedException.class)
                .hasMessageContaining("/dev/fake-rdm");
    }

    /** Each read hands over one queued chunk, or times out at once when nothing is queued. */
    static final class QueuedLink implements SerialLink {
        final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        boolean gone;

        @Override
        public String port() {
            return "/dev/fake-rdm";
        }

        @Override
        public int read(byte[] buf, Duration timeout) throws IOException {
            if (gone) {
                throw new ReaderDisconnectedException("serial port /dev/fake-rdm is gone");
            }
            byte[] all = new byte[0];
            while (!queue.isEmpty()) {
                byte[] next = queue.poll();
                byte[] joined = java.util.Arrays.copyOf(all, all.length + next.length);
                System.arraycopy(next, 0, joined, all.length, next.length);
                all = joined;
            }
            System.arraycopy(all, 0, buf, 0, all.length);
            return all.length;
        }

        @Override
        public int available() {
            return queue.stream().mapToInt(b -> b.length).sum();
        }

        @Override
        public void write(byte[] data) {
            // the module takes no commands
        }

        @Override
        public void close() {
        }
    }
}
