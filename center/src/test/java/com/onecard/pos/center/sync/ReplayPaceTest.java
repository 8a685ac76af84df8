package com.onecard.pos.center.sync;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReplayPaceTest {
    /** A clock that moves only when the pace waits (or the test says so). */
    static final class FakeTicker implements ReplayPace.Ticker {
        volatile long now = 1_000_000_000L;
        final List<Long> waits = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            waits.add(nanos);
            now += nanos;
        }
    }

    @Test
    void stepsOfOneReplayAreSpacedAtTheInstancesRate() throws InterruptedException {
        FakeTicker t = new FakeTicker();
        ReplayPace pace = new ReplayPace(64_000, t);  // one step of 64 changes per ms
        long start = t.now;
        for (int i = 0; i < 100; i++) {
            pace.step();
        }
        // 100 steps = 6,400 changes at 64,000/s: the last starts 99 ms after the first
        assertEquals(99_000_000L, t.now - start);
        assertEquals(99, t.waits.size());
    }

    @Test
    void replaysRunningAtOnceShareTheRate() {
        FakeTicker t = new FakeTicker();
        ReplayPace pace = new ReplayPace(64_000, t);
        // two replays asking in turn, neither waiting yet: each step is placed after the other's
        long[] waits = new long[6];
        for (int i = 0; i < waits.length; i++) {
            waits[i] = pace.reserve(ReplayPace.STEP);
        }
        assertEquals(List.of(0L, 1_000_000L, 2_000_000L, 3_000_000L, 4_000_000L, 5_000_000L),
                java.util.Arrays.stream(waits).boxed().toList());
    }

    @Test
    void timeLeftUnusedIsNotSavedUpForABurst() {
        FakeTicker t = new FakeTicker();
        ReplayPace pace = new ReplayPace(64_000, t);
        pace.reserve(ReplayPace.STEP);
        t.now += 10_000_000_000L;  // idle for 10 s
        assertEquals(0L, pace.reserve(ReplayPace.STEP));
        assertEquals(0L, pace.reserve(ReplayPace.STEP));
        // beyond one step's worth, the idle time does not count: the third step waits its turn
        assertEquals(1_000_000L, pace.reserve(ReplayPace.STEP));
    }

    @Test
    void aPaceBelowOneChangePerSecondIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayPace(0, new FakeTicker()));
    }
}
