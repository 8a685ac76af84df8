package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.ReaderListener;
import com.onecard.pos.reader.ReaderState;
import com.onecard.pos.reader.ReaderStatus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The reliability run's referee: knows which card is on the emulator's antenna for which
 * presentation, and judges every tap the reader loop reports against it. A tap is false when
 * its UID was never placed, is not the card presented now, or repeats a presentation already
 * tapped. Listener calls come from the reader thread; the run thread asks and waits.
 */
final class TapLedger implements ReaderListener {
    private final Set<String> everPlaced = new HashSet<>();
    private final List<String> falseTaps = new ArrayList<>();
    private String expectedUid;
    private int presentation = -1;
    private boolean tapped;
    private CardTap lastTap;
    private long tapNanos;
    private long removals;
    private long okNanos;
    private boolean okSeen;
    private long degradedEvents;

    synchronized void present(int id, String uidHex) {
        everPlaced.add(uidHex);
        expectedUid = uidHex;
        presentation = id;
        tapped = false;
        lastTap = null;
    }

    /** The card left the antenna: any tap from now on is false until the next presentation. */
    synchronized void withdraw() {
        expectedUid = null;
    }

    @Override
    public synchronized void onTap(CardTap tap) {
        String uid = tap.uidHex();
        if (!everPlaced.contains(uid)) {
            falseTaps.add("presentation " + presentation + ": UID " + uid + " was never placed");
        } else if (!uid.equals(expectedUid)) {
            falseTaps.add("presentation " + presentation + ": UID " + uid + " is not the card on the reader ("
                    + expectedUid + ")");
        } else if (tapped) {
            falseTaps.add("presentation " + presentation + ": second tap for " + uid);
        } else {
            tapped = true;
            lastTap = tap;
            tapNanos = System.nanoTime();
        }
        notifyAll();
    }

    @Override
    public synchronized void onRemoved(byte[] uid) {
        removals++;
        notifyAll();
    }

    @Override
    public synchronized void onStatus(ReaderStatus status) {
        if (status.state() == ReaderState.OK) {
            okNanos = System.nanoTime();
            okSeen = true;
        } else if (status.state() == ReaderState.DEGRADED) {
            degradedEvents++;
        }
        notifyAll();
    }

    /** Waits for the current presentation's tap; returns its time (System.nanoTime) or -1. */
    synchronized long awaitTap(long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        while (!tapped) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return tapNanos;
    }

    synchronized CardTap lastTap() {
        return lastTap;
    }

    /** Waits until {@code count} removals were reported in all. */
    synchronized boolean awaitRemovals(long count, long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        while (removals < count) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized long removals() {
        return removals;
    }

    /** Waits for a status change to OK after {@code sinceNanos}; returns its time or -1. */
    synchronized long awaitOkAfter(long sinceNanos, long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        while (!okSeen || okNanos - sinceNanos <= 0) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return okNanos;
    }

    synchronized List<String> falseTaps() {
        return List.copyOf(falseTaps);
    }

    synchronized long degradedEvents() {
        return degradedEvents;
    }
}
