package com.onecard.pos.reader.keypad;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** EvdevKeypad on a real FIFO (mkfifo) fed with input_event records, as the simulator's keypad is. */
class EvdevKeypadIT {
    @TempDir
    Path dir;
    private final List<KeypadKey> keys = new CopyOnWriteArrayList<>();
    private final List<String> lost = new CopyOnWriteArrayList<>();
    private EvdevKeypad keypad;

    @AfterEach
    void tearDown() {
        if (keypad != null) {
            keypad.close();
        }
    }

    private Path fifo() throws Exception {
        Path p = dir.resolve("keypad-event-kbd");
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
        return p;
    }

    private static void press(OutputStream out, KeypadKey k) throws IOException {
        out.write(EvdevDecoder.encode(24, new InputEvent(1, 0, InputEvent.EV_KEY, k.code(), InputEvent.PRESS)));
        out.write(EvdevDecoder.encode(24, new InputEvent(1, 0, InputEvent.EV_SYN, InputEvent.SYN_REPORT, 0)));
        out.write(EvdevDecoder.encode(24, new InputEvent(1, 1, InputEvent.EV_KEY, k.code(), InputEvent.RELEASE)));
        out.flush();
    }

    @Test
    void keysArriveInOrderAndTheKeypadIsReopenedWhenItsInputEnds() throws Exception {
        Path p = fifo();
        keypad = new EvdevKeypad(p, 24, new KeypadListener() {
            @Override
            public void onKey(KeypadKey key) {
                keys.add(key);
            }

            @Override
            public void onEntryLost(String why) {
                lost.add(why);
            }
        });
        keypad.start();
        try (OutputStream out = new FileOutputStream(p.toFile())) {
            await(keypad::connected);
            for (KeypadKey k : List.of(KeypadKey.DIGIT_1, KeypadKey.DIGIT_2, KeypadKey.DOT, KeypadKey.DIGIT_5, KeypadKey.ENTER)) {
                press(out, k);
            }
            await(() -> keys.size() == 5);
            press(out, KeypadKey.DIGIT_9);
            await(() -> keys.size() == 6);
        }
        // the writer went away in the middle of an entry ("9" typed, no Enter): unplugged
        await(() -> !keypad.connected() && keypad.lastError().contains(p.toString()));
        await(() -> lost.size() == 1);
        try (OutputStream out = new FileOutputStream(p.toFile())) {
            await(keypad::connected);
            press(out, KeypadKey.CANCEL);
            await(() -> keys.size() == 7);
        }
        assertThat(keys).containsExactly(KeypadKey.DIGIT_1, KeypadKey.DIGIT_2, KeypadKey.DOT, KeypadKey.DIGIT_5,
                KeypadKey.ENTER, KeypadKey.DIGIT_9, KeypadKey.CANCEL);
        assertThat(keypad.reconnects()).isEqualTo(1);
        assertThat(lost).hasSize(1).allMatch(w -> w.contains("unplugged"));
    }

    @Test
    void aMissingDeviceIsNamedAndWaitedFor() throws Exception {
        Path p = dir.resolve("usb-Keypad-event-kbd");
        keypad = new EvdevKeypad(p, 24, keys::add);
        keypad.start();
        await(() -> keypad.lastError().contains(p + " does not exist"));
        assertThat(keypad.connected()).isFalse();
    }

    private static void await(BooleanSupplier c) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }
}
