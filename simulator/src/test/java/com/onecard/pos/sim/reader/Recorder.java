package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.ReaderListener;
import com.onecard.pos.reader.ReaderState;
import com.onecard.pos.reader.ReaderStatus;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** Records reader events for assertions and awaits conditions with a deadline. */
final class Recorder implements ReaderListener {
    final List<CardTap> taps = new CopyOnWriteArrayList<>();
    final List<Long> tapNanos = new CopyOnWriteArrayList<>();
    final List<byte[]> removed = new CopyOnWriteArrayList<>();
    final List<ReaderState> states = new CopyOnWriteArrayList<>();
    /** "seen UID" and "tap UID" in the order the reader reported them. */
    final List<String> order = new CopyOnWriteArrayList<>();

    @Override
    public void onCardSeen(byte[] uid) {
        order.add("seen " + java.util.HexFormat.of().withUpperCase().formatHex(uid));
    }

    @Override
    public void onTap(CardTap tap) {
        tapNanos.add(System.nanoTime());
        order.add("tap " + tap.uidHex());
        taps.add(tap);
    }

    @Override
    public void onRemoved(byte[] uid) {
        removed.add(uid);
    }

    @Override
    public void onStatus(ReaderStatus status) {
        states.add(status.state());
    }

    static void await(String what, long timeoutMs, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeoutMs + " ms: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }
}
