package com.onecard.pos.reader.pn532;

import com.onecard.pos.reader.serial.ReaderDisconnectedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

import static com.onecard.pos.reader.pn532.ScriptedLink.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pn532ClientTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();
    private static final byte[] ACK = Pn532Frame.ack().encode();
    private static final byte[] FW = HEX.parseHex("00 00 FF 06 FA D5 03 32 01 06 07 E8 00");

    private static Pn532Client client(ScriptedLink link) {
        return new Pn532Client(link, Duration.ofMillis(30), Duration.ofMillis(200));
    }

    @Test
    void sendsTheGoldenFrameAndParsesFirmware() throws Exception {
        ScriptedLink link = new ScriptedLink(w -> concat(ACK, FW));
        assertThat(client(link).firmwareVersion()).isEqualTo("PN532 v1.6");
        assertThat(HEX.formatHex(link.written.get(0))).isEqualTo("00 00 FF 02 FE D4 02 2A 00");
    }

    @Test
    void wakeUpSendsLongPreambleBeforeSamConfiguration() throws Exception {
        ScriptedLink link = new ScriptedLink(w -> concat(ACK, HEX.parseHex("00 00 FF 02 FE D5 15 16 00")));
        client(link).wakeUp();
        byte[] w = link.written.get(0);
        assertThat(w[0]).isEqualTo((byte) 0x55);
        assertThat(w[1]).isEqualTo((byte) 0x55);
        int zeros = 0;
        while (w[2 + zeros] == 0) {
            zeros++;
        }
        assertThat(zeros).isGreaterThanOrEqualTo(14);
        assertThat(HEX.formatHex(w).endsWith("00 00 FF 03 FD D4 14 01 17 00")).isTrue();
    }

    @Test
    void acceptsResponseWithoutAck() throws Exception {
        ScriptedLink link = new ScriptedLink(w -> FW);
        assertThat(client(link).firmwareVersion()).isEqualTo("PN532 v1.6");
    }

    @Test
    void resendsWhenAckIsMissing() throws Exception {
        AtomicInteger writes = new AtomicInteger();
        ScriptedLink link = new ScriptedLink(w -> writes.incrementAndGet() == 1 ? null : concat(ACK, FW));
        Pn532Client c = client(link);
        assertThat(c.firmwareVersion()).isEqualTo("PN532 v1.6");
        assertThat(link.written).hasSize(2);
        assertThat(link.written.get(1)).isEqualTo(link.written.get(0));
        assertThat(c.errors()).isEqualTo(1);
    }

    @Test
    void timeoutAbortsWithAckAndNamesPortAndTime() {
        ScriptedLink link = new ScriptedLink(w -> Arrays.equals(w, ACK) ? null : ACK);
        assertThatThrownBy(() -> client(link).firmwareVersion())
                .isInstanceOf(Pn532TimeoutException.class)
                .hasMessageContaining("/dev/scripted").hasMessageContaining("did not answer").hasMessageContaining(" ms");
        assertThat(link.written.get(link.written.size() - 1)).isEqualTo(ACK);
    }

    @Test
    void lateResponseOfAnAbortedCommandIsDropped() throws Exception {
        byte[] lateNoCard = HEX.parseHex("00 00 FF 03 FD D5 4B 00 E0 00");
        ScriptedLink link = new ScriptedLink(w -> concat(ACK, lateNoCard, FW));
        Pn532Client c = client(link);
        assertThat(c.firmwareVersion()).isEqualTo("PN532 v1.6");
        assertThat(c.errors()).isEqualTo(1);
    }

    private static final byte[] LIST = HEX.parseHex("00 00 FF 04 FC D4 4A 01 00 E1 00");
    private static final byte[] CARD_A = HEX.parseHex("00 00 FF 0C F4 D5 4B 01 01 00 04 08 04 90 1F 2A A4 51 00");
    private static final byte[] NO_CARD = HEX.parseHex("00 00 FF 03 FD D5 4B 00 E0 00");

    /** A listen no card answers in its time is aborted with an ACK frame and is empty: no error, unlike a timeout. */
    @Test
    void aListenNoCardAnsweredIsAbortedWithAnAckAndIsNoError() throws Exception {
        ScriptedLink link = new ScriptedLink(w -> Arrays.equals(w, LIST) ? ACK : null);
        Pn532Client c = client(link);
        assertThat(c.listPassiveTarget(Duration.ofMillis(20))).isEmpty();
        assertThat(link.written).hasSize(2);
        assertThat(link.written.get(1)).isEqualTo(ACK);
        assertThat(c.errors()).isZero();
    }

    /** A chip that does not even acknowledge the listen is a timeout, as for any command: the reader's health check. */
    @Test
    void aListenTheChipNeverAcknowledgedIsATimeout() {
        ScriptedLink link = new ScriptedLink(w -> null);
        assertThatThrownBy(() -> client(link).listPassiveTarget(Duration.ofMillis(80)))
                .isInstanceOf(Pn532TimeoutException.class).hasMessageContaining("did not acknowledge");
    }

    /**
     * The chip found a card just as the ACK that aborts the listen reached it: that answer arrives after the abort,
     * before the next command's ACK, and belongs to the aborted command. The next listen takes its own answer.
     */
    @Test
    void theAbortedListensLateAnswerIsDroppedAndTheNextListenTakesItsOwn() throws Exception {
        AtomicInteger lists = new AtomicInteger();
        ScriptedLink link = new ScriptedLink(w -> Arrays.equals(w, ACK) ? CARD_A
                : lists.incrementAndGet() == 1 ? ACK : concat(ACK, NO_CARD));
        Pn532Client c = client(link);
        assertThat(c.listPassiveTarget(Duration.ofMillis(20))).isEmpty();
        assertThat(c.listPassiveTarget(Duration.ofMillis(100))).as("the second listen's own answer: no card").isEmpty();
        assertThat(c.errors()).as("the late answer, dropped").isEqualTo(1);
    }

    @Test
    void corruptedResponseIsAskedForAgainWithNack() throws Exception {
        byte[] bad = FW.clone();
        bad[bad.length - 2] ^= 1;
        AtomicInteger writes = new AtomicInteger();
        ScriptedLink link = new ScriptedLink(w -> {
            if (Arrays.equals(w, Pn532Frame.nack().encode())) {
                return FW;
            }
            return writes.incrementAndGet() == 1 ? concat(ACK, bad) : null;
        });
        assertThat(client(link).firmwareVersion()).isEqualTo("PN532 v1.6");
        assertThat(link.written).anySatisfy(w -> assertThat(w).isEqualTo(Pn532Frame.nack().encode()));
    }

    @Test
    void parsesOneCardAndNoCard() throws Exception {
        ScriptedLink one = new ScriptedLink(w -> concat(ACK,
                HEX.parseHex("00 00 FF 0C F4 D5 4B 01 01 00 04 08 04 90 1F 2A A4 51 00")));
        Pn532Target t = client(one).listPassiveTarget().orElseThrow();
        assertThat(t.tg()).isEqualTo(1);
        assertThat(t.atqa()).isEqualTo(0x0004);
        assertThat(t.sak()).isEqualTo(0x08);
        assertThat(HEX.formatHex(t.uid())).isEqualTo("90 1F 2A A4");
        assertThat(HEX.formatHex(one.written.get(0))).isEqualTo("00 00 FF 04 FC D4 4A 01 00 E1 00");

        ScriptedLink none = new ScriptedLink(w -> concat(ACK, HEX.parseHex("00 00 FF 03 FD D5 4B 00 E0 00")));
        assertThat(client(none).listPassiveTarget()).isEmpty();
    }

    @Test
    void authenticateSendsGoldenFrameAndReturnsStatus() throws Exception {
        ScriptedLink link = new ScriptedLink(w -> concat(ACK, HEX.parseHex("00 00 FF 03 FD D5 41 14 D6 00")));
        Pn532Target t = new Pn532Target(1, 4, 8, HEX.parseHex("90 1F 2A A4"));
        byte[] key = HEX.parseHex("FF FF FF FF FF FF");
        assertThat(client(link).mifareAuthenticate(t, 7, false, key)).isEqualTo(Pn532Client.STATUS_AUTH_ERROR);
        assertThat(HEX.formatHex(link.written.get(0)))
                .isEqualTo("00 00 FF 0F F1 D4 40 01 60 07 FF FF FF FF FF FF 90 1F 2A A4 0D 00");
    }

    @Test
    void sevenByteUidAuthenticatesWithItsLastFourBytes() {
        Pn532Target t = new Pn532Target(1, 0x44, 8, HEX.parseHex("04 11 22 33 44 55 66"));
        assertThat(HEX.formatHex(t.authUid())).isEqualTo("33 44 55 66");
    }

    @Test
    void releaseAndReadBlockUseGoldenFrames() throws Exception {
        ScriptedLink link = new ScriptedLink(w -> w[6] == 0x52
                ? concat(ACK, HEX.parseHex("00 00 FF 03 FD D5 53 00 D8 00"))
                : concat(ACK, Pn532Frame.response(0x40, new byte[17]).encode()));
        Pn532Client c = client(link);
        assertThat(c.release(0)).isZero();
        assertThat(HEX.formatHex(link.written.get(0))).isEqualTo("00 00 FF 03 FD D4 52 00 DA 00");
        Pn532Target t = new Pn532Target(1, 4, 8, HEX.parseHex("90 1F 2A A4"));
        assertThat(c.mifareRead(t, 7).data()).hasSize(16);
        assertThat(HEX.formatHex(link.written.get(1))).isEqualTo("00 00 FF 05 FB D4 40 01 30 07 B4 00");
    }

    @Test
    void lostPortPassesThroughAsDisconnect() {
        ScriptedLink link = new ScriptedLink(w -> null);
        link.gone = true;
        assertThatThrownBy(() -> client(link).firmwareVersion()).isInstanceOf(ReaderDisconnectedException.class);
    }
}
