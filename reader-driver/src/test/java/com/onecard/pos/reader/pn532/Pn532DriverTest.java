package com.onecard.pos.reader.pn532;

import com.onecard.pos.reader.CardTap;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import static com.onecard.pos.reader.pn532.ScriptedLink.concat;
import static org.assertj.core.api.Assertions.assertThat;

/** The driver on a scripted chip: a target no card can be is dropped and counted, never a tap. */
class Pn532DriverTest {
    private static final byte[] ACK = Pn532Frame.ack().encode();

    /** A chip that answers every InListPassiveTarget with one target of this ATQA, SAK and UID. */
    private static ScriptedLink chipWith(int atqa, int sak, byte[] uid) {
        byte[] target = new byte[5 + uid.length];
        target[0] = 1;                 // NbTg
        target[1] = 1;                 // Tg
        target[2] = (byte) (atqa >> 8);
        target[3] = (byte) atqa;
        target[4] = (byte) sak;
        byte[] withLen = new byte[target.length + 1];
        System.arraycopy(target, 0, withLen, 0, 5);
        withLen[5] = (byte) uid.length;
        System.arraycopy(uid, 0, withLen, 6, uid.length);
        return new ScriptedLink(w -> isCommand(w, 0x32) ? concat(ACK, Pn532Frame.response(0x32).encode())
                : concat(ACK, Pn532Frame.response(0x4A, withLen).encode()));
    }

    /** A chip with no card in its field: RFConfiguration answered, InListPassiveTarget acknowledged and never answered. */
    private static ScriptedLink emptyField() {
        return new ScriptedLink(w -> isCommand(w, 0x32) ? concat(ACK, Pn532Frame.response(0x32).encode())
                : isCommand(w, 0x4A) ? ACK : null);
    }

    private static boolean isCommand(byte[] w, int code) {
        return w.length > 6 && (w[5] & 0xFF) == Pn532Frame.TFI_HOST && (w[6] & 0xFF) == code;
    }

    private static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(b);
    }

    private static Optional<CardTap> poll(ScriptedLink link, Pn532Driver d) throws Exception {
        return d.poll(null, Instant.EPOCH);
    }

    @Test
    void impossibleUidsAreDroppedAndCounted() throws Exception {
        for (String uid : new String[]{"00000000", "FFFFFFFF", "88010203", "00000000000000"}) {
            ScriptedLink link = chipWith(0x0004, 0x08, HexFormat.of().parseHex(uid));
            Pn532Driver d = new Pn532Driver(link, null);
            assertThat(poll(link, d)).as(uid).isEmpty();
            assertThat(d.implausible()).as(uid).isEqualTo(1);
        }
    }

    /**
     * No card believed on the reader: the chip listens without end (MxRtyPassiveActivation 0xFF) and the
     * driver ends the listen with an ACK frame, no error; a card believed present: 33 attempts, so the chip
     * itself answers "no card" soon after it left.
     */
    @Test
    void aListenWithoutEndIsAbortedWithAnAckAndACardOnTheReaderIsPolledWithABoundedCount() throws Exception {
        ScriptedLink link = emptyField();
        Pn532Driver d = new Pn532Driver(link, null);
        assertThat(d.poll(null, Instant.EPOCH)).isEmpty();
        assertThat(hex(link.written.get(0))).as("RFConfiguration MxRtyPassiveActivation")
                .isEqualTo(hex(Pn532Frame.command(0x32, new byte[]{0x05, (byte) 0xFF, 0x01, (byte) 0xFF}).encode()));
        assertThat(hex(link.written.get(1))).isEqualTo("00 00 FF 04 FC D4 4A 01 00 E1 00");
        assertThat(link.written.get(2)).as("the listen aborted").isEqualTo(ACK);
        assertThat(link.written).hasSize(3);
        assertThat(d.errors()).isZero();

        ScriptedLink present = chipWith(0x0004, 0x08, HexFormat.of().parseHex("901F2AA4"));
        Pn532Driver p = new Pn532Driver(present, null);
        assertThat(p.poll(HexFormat.of().parseHex("901F2AA4"), Instant.EPOCH)).isPresent();
        assertThat(hex(present.written.get(0)))
                .isEqualTo(hex(Pn532Frame.command(0x32, new byte[]{0x05, (byte) 0xFF, 0x01, 0x20}).encode()));
    }

    @Test
    void aRealCardIsATap() throws Exception {
        ScriptedLink link = chipWith(0x0004, 0x08, HexFormat.of().parseHex("901F2AA4"));
        Pn532Driver d = new Pn532Driver(link, null);
        assertThat(poll(link, d)).hasValueSatisfying(t -> assertThat(t.uidHex()).isEqualTo("901F2AA4"));
        assertThat(d.implausible()).isZero();
    }
}
