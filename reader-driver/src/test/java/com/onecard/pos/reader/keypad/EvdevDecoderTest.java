package com.onecard.pos.reader.keypad;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static com.onecard.pos.reader.keypad.KeypadKey.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden input_event records as a USB keypad's evdev node delivers them: the keypad's "1" pressed
 * and released at 1764450000.123456 s, each with the MSC_SCAN (HID usage 0x70059) and the
 * SYN_REPORT the kernel sends around it. Hex written from linux/input.h's layout with Python's
 * struct ('<qqHHi' for 64-bit, '<IIHHi' for 32-bit), not from the code under test.
 */
class EvdevDecoderTest {
    private static final String[] KP1_64 = {
            "d05e2b690000000040e20100000000000400040059000700",
            "d05e2b690000000040e201000000000001004f0001000000",
            "d05e2b690000000040e20100000000000000000000000000",
            "d05e2b690000000031e60200000000000400040059000700",
            "d05e2b690000000031e602000000000001004f0000000000",
            "d05e2b690000000031e60200000000000000000000000000"};
    private static final String[] KP1_32 = {
            "d05e2b6940e201000400040059000700",
            "d05e2b6940e2010001004f0001000000",
            "d05e2b6940e201000000000000000000",
            "d05e2b6931e602000400040059000700",
            "d05e2b6931e6020001004f0000000000",
            "d05e2b6931e602000000000000000000"};
    private static final List<InputEvent> KP1_EVENTS = List.of(
            new InputEvent(1764450000L, 123456, InputEvent.EV_MSC, 4, 0x70059),
            new InputEvent(1764450000L, 123456, InputEvent.EV_KEY, 79, InputEvent.PRESS),
            new InputEvent(1764450000L, 123456, InputEvent.EV_SYN, InputEvent.SYN_REPORT, 0),
            new InputEvent(1764450000L, 190001, InputEvent.EV_MSC, 4, 0x70059),
            new InputEvent(1764450000L, 190001, InputEvent.EV_KEY, 79, InputEvent.RELEASE),
            new InputEvent(1764450000L, 190001, InputEvent.EV_SYN, InputEvent.SYN_REPORT, 0));

    private static byte[] hex(String... records) {
        return HexFormat.of().parseHex(String.join("", records));
    }

    @Test
    void goldenRecordsOf64BitUserspaceDecodeToTheKernelsEvents() {
        byte[] b = hex(KP1_64);
        assertThat(b).hasSize(6 * 24);
        assertThat(new EvdevDecoder(EvdevDecoder.RECORD_64).feed(b, 0, b.length)).isEqualTo(KP1_EVENTS);
    }

    @Test
    void goldenRecordsOf32BitUserspaceDecodeToTheSameEvents() {
        byte[] b = hex(KP1_32);
        assertThat(b).hasSize(6 * 16);
        assertThat(new EvdevDecoder(EvdevDecoder.RECORD_32).feed(b, 0, b.length)).isEqualTo(KP1_EVENTS);
    }

    @Test
    void theEmulatorsEncoderWritesTheGoldenBytes() {
        for (int i = 0; i < KP1_EVENTS.size(); i++) {
            assertThat(HexFormat.of().formatHex(EvdevDecoder.encode(24, KP1_EVENTS.get(i)))).isEqualTo(KP1_64[i]);
            assertThat(HexFormat.of().formatHex(EvdevDecoder.encode(16, KP1_EVENTS.get(i)))).isEqualTo(KP1_32[i]);
        }
    }

    @Test
    void aRecordSplitAcrossReadsWaitsForItsRest() {
        byte[] b = hex(KP1_64);
        EvdevDecoder d = new EvdevDecoder(24);
        List<InputEvent> got = new ArrayList<>();
        for (int i = 0; i < b.length; i += 7) {
            got.addAll(d.feed(b, i, Math.min(7, b.length - i)));
        }
        assertThat(got).isEqualTo(KP1_EVENTS);
        assertThat(d.feed(b, 0, 10)).isEmpty();
        assertThat(d.pendingBytes()).isEqualTo(10);
        d.reset();
        assertThat(d.feed(b, 0, 24)).containsExactly(KP1_EVENTS.get(0));
    }

    @Test
    void onlyTheTwoKernelRecordSizesAreAccepted() {
        assertThatThrownBy(() -> new EvdevDecoder(20)).hasMessageContaining("24").hasMessageContaining("16");
    }

    // ---- key semantics, on records written by this test's own little-endian writer

    private static final class Records {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        long usec;

        Records ev(int type, int code, int value) {
            ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(1764450000L).putLong(usec += 1000).putShort((short) type).putShort((short) code).putInt(value);
            out.writeBytes(b.array());
            return this;
        }

        Records key(int code, int value) {
            return ev(InputEvent.EV_MSC, 4, 0x70000 + code).ev(InputEvent.EV_KEY, code, value).ev(InputEvent.EV_SYN, 0, 0);
        }

        Records tap(int code) {
            return key(code, 1).key(code, 0);
        }

        List<KeypadKey> keys(KeyDecoder k) {
            byte[] b = out.toByteArray();
            return k.keys(new EvdevDecoder(24).feed(b, 0, b.length));
        }
    }

    @Test
    void keypadDigitsTheNumberRowDotBackspaceAndEnter() {
        // keypad 1 2 . 5 0, Backspace, number-row 5, keypad Enter; then the main Enter and Del
        Records r = new Records().tap(79).tap(80).tap(83).tap(76).tap(82).tap(14).tap(6).tap(96).tap(28).tap(111)
                .tap(52).tap(121);
        assertThat(r.keys(new KeyDecoder())).containsExactly(DIGIT_1, DIGIT_2, DOT, DIGIT_5, DIGIT_0, BACKSPACE, DIGIT_5,
                ENTER, ENTER, BACKSPACE, DOT, DOT);
    }

    @Test
    void everyDigitOfTheKeypadAndOfTheNumberRow() {
        int[] keypad = {82, 79, 80, 81, 75, 76, 77, 71, 72, 73};
        int[] row = {11, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        for (int d = 0; d <= 9; d++) {
            KeypadKey want = KeypadKey.values()[d];
            assertThat(new Records().tap(keypad[d]).keys(new KeyDecoder())).containsExactly(want);
            assertThat(new Records().tap(row[d]).keys(new KeyDecoder())).containsExactly(want);
            assertThat(want.symbol()).isEqualTo((char) ('0' + d));
            assertThat(KeypadKey.ofCode(want.code())).contains(want);
        }
    }

    @Test
    void aHeldDigitOrEnterCountsOnceButAHeldBackspaceRepeats() {
        Records r = new Records().key(71, 1).key(71, 2).key(71, 2).key(71, 2).key(71, 0)
                .key(14, 1).key(14, 2).key(14, 2).key(14, 0)
                .key(96, 1).key(96, 2).key(96, 0);
        assertThat(r.keys(new KeyDecoder())).containsExactly(DIGIT_7, BACKSPACE, BACKSPACE, BACKSPACE, ENTER);
    }

    @Test
    void releasesAloneTypeNothing() {
        assertThat(new Records().key(79, 0).key(96, 0).keys(new KeyDecoder())).isEmpty();
    }

    @Test
    void eventsAfterSynDroppedAreDiscardedUntilTheNextReport() {
        Records r = new Records().key(79, 1)
                .ev(InputEvent.EV_SYN, InputEvent.SYN_DROPPED, 0).ev(InputEvent.EV_KEY, 80, 1).ev(InputEvent.EV_KEY, 96, 1)
                .ev(InputEvent.EV_SYN, InputEvent.SYN_REPORT, 0)
                .key(81, 1);
        KeyDecoder k = new KeyDecoder();
        assertThat(r.keys(k)).containsExactly(DIGIT_1, DIGIT_3);
        assertThat(k.drops()).isEqualTo(1);
    }

    @Test
    void cancelQrAndReverseKeysAndIgnoredOnes() {
        // Esc, keypad *, keypad +, keypad -; NumLock (69), keypad / (98), Tab (15), letter A (30) type nothing
        Records r = new Records().tap(1).tap(55).tap(78).tap(74).tap(69).tap(98).tap(15).tap(30);
        assertThat(r.keys(new KeyDecoder())).containsExactly(CANCEL, CANCEL, QR, REVERSE);
    }
}
