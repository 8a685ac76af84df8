package com.onecard.pos.reader.loop;

import com.onecard.pos.reader.CardReaderDriver;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.ReaderConfig;
import com.onecard.pos.reader.ReaderListener;
import com.onecard.pos.reader.ReaderState;
import com.onecard.pos.reader.ReaderStatus;
import com.onecard.pos.reader.serial.ReaderDisconnectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** ReaderLoop against a hand-written fake driver whose card and faults the test controls. */
class ReaderLoopTest {
    private static final byte[] UID = {1, 2, 3, 4};

    private final FakeDriverFactory factory = new FakeDriverFactory();
    private final Recorder events = new Recorder();
    private final ReaderLoop loop = new ReaderLoop(new ReaderConfig("pn532", "/dev/fake", 115200, null),
            events, Clock.systemUTC(), factory);

    @AfterEach
    void tearDown() {
        loop.close();
    }

    @Test
    void cardLeftOnReaderTapsOnceAndTapsAgainAfterRemoval() {
        loop.start();
        await(() -> loop.status().state() == ReaderState.OK);
        factory.card = UID;
        await(() -> events.taps.size() == 1);
        int pollsAtTap = factory.polls.get();
        await(() -> factory.polls.get() > pollsAtTap + 20);
        assertThat(events.taps).hasSize(1);
        factory.card = null;
        await(() -> events.removed.size() == 1);
        factory.card = UID;
        await(() -> events.taps.size() == 2);
        assertThat(loop.status().taps()).isEqualTo(2);
    }

    @Test
    void anEmptyPollThatListenedIsFollowedAtOnceAndOneThatDidNotIsFollowedByThePause() {
        // a chip that listens 5 ms for a card before "no card": a card placed between two polls
        // would wait for the next one, so no pause between them
        factory.emptyPollNanos = 5_000_000;
        loop.start();
        await(() -> factory.gaps.size() >= 40);
        List<Long> listening = List.copyOf(factory.gaps);
        long quick = listening.stream().filter(g -> g < ReaderLoop.POLL_PAUSE.toNanos()).count();
        assertThat(quick).as("gaps (ns) after polls that listened: %s", listening).isGreaterThanOrEqualTo(listening.size() / 2);
        // a driver whose "no card" comes back at once gets the pause every time: it never spins
        factory.emptyPollNanos = 0;
        int polls = factory.polls.get();
        await(() -> factory.polls.get() > polls + 2); // past the poll that was listening when it changed
        factory.gaps.clear();
        await(() -> factory.gaps.size() >= 20);
        assertThat(List.copyOf(factory.gaps)).as("gaps (ns) after instant empty polls")
                .allMatch(g -> g >= ReaderLoop.POLL_PAUSE.toNanos());
    }

    @Test
    void oneMissedPollIsNotARemoval() {
        loop.start();
        factory.card = UID;
        await(() -> events.taps.size() == 1);
        factory.missNext.set(1);
        int polls = factory.polls.get();
        await(() -> factory.polls.get() > polls + 10);
        assertThat(events.taps).hasSize(1);
        assertThat(events.removed).isEmpty();
    }

    @Test
    void reconnectsWithBackoffAfterPortMissingAndUnplug() {
        factory.failOpens.set(3);
        loop.start();
        await(() -> loop.status().state() == ReaderState.OK);
        assertThat(events.states).startsWith(ReaderState.OK);
        factory.unplugged = true;
        await(() -> loop.status().state() == ReaderState.DISCONNECTED);
        assertThat(loop.status().lastError()).contains("/dev/fake");
        factory.unplugged = false;
        await(() -> loop.status().state() == ReaderState.OK);
        factory.card = UID;
        await(() -> events.taps.size() == 1);
        assertThat(events.states).containsSubsequence(ReaderState.OK, ReaderState.DISCONNECTED, ReaderState.OK);
    }

    /**
     * DEGRADED (frame errors) returns to OK after a second of clean polling, however many polls that is: a PN532
     * poll lasts from ≈ 2 ms with a card on the reader to a whole listen (300 ms) without one.
     */
    @Test
    void degradedReturnsToOkAfterASecondOfCleanPollsNotAfterACountOfThem() {
        java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong(1_000_000);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis.get());
            }
        };
        try (ReaderLoop l = new ReaderLoop(new ReaderConfig("pn532", "/dev/fake", 115200, null), events, clock, factory)) {
            l.start();
            await(() -> l.status().state() == ReaderState.OK);
            factory.linkErrors.incrementAndGet();
            await(() -> l.status().state() == ReaderState.DEGRADED);
            int polls = factory.polls.get();
            await(() -> factory.polls.get() > polls + 60);
            assertThat(l.status().state()).as("60 clean polls within the same second").isEqualTo(ReaderState.DEGRADED);
            millis.addAndGet(1000);
            await(() -> l.status().state() == ReaderState.OK);
        }
    }

    @Test
    void stalledChipDegradesThenReopens() {
        loop.start();
        await(() -> loop.status().state() == ReaderState.OK);
        int opens = factory.opens.get();
        factory.stalled = true;
        await(() -> events.states.contains(ReaderState.DEGRADED));
        await(() -> factory.opens.get() > opens);
        factory.stalled = false;
        await(() -> loop.status().state() == ReaderState.OK);
        assertThat(events.taps).isEmpty();
    }

    @Test
    void swappedCardIsARemovalAndANewTap() {
        loop.start();
        factory.card = UID;
        await(() -> events.taps.size() == 1);
        byte[] other = {9, 8, 7, 6};
        factory.card = other;
        await(() -> events.taps.size() == 2);
        assertThat(events.removed).hasSize(1);
        assertThat(events.removed.get(0)).isEqualTo(UID);
        assertThat(events.taps.get(1).uid()).isEqualTo(other);
    }

    @Test
    void throwingListenerDoesNotStopTheReader() {
        Recorder inner = new Recorder();
        ReaderListener throwing = new ReaderListener() {
            @Override
            public void onTap(CardTap tap) {
                inner.onTap(tap);
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onRemoved(byte[] uid) {
                inner.onRemoved(uid);
            }
        };
        try (ReaderLoop l = new ReaderLoop(new ReaderConfig("pn532", "/dev/fake", 115200, null), throwing,
                Clock.systemUTC(), factory)) {
            l.start();
            factory.card = UID;
            await(() -> inner.taps.size() == 1);
            factory.card = null;
            await(() -> inner.removed.size() == 1);
            factory.card = UID;
            await(() -> inner.taps.size() == 2);
        }
    }

    @Test
    void droppedPhantomsAreCountedInTheStatusAcrossReconnects() {
        loop.start();
        await(() -> loop.status().state() == ReaderState.OK);
        factory.phantoms.set(3);
        await(() -> loop.status().implausible() == 3);
        factory.unplugged = true;
        await(() -> loop.status().state() == ReaderState.DISCONNECTED);
        factory.unplugged = false;
        await(() -> loop.status().state() == ReaderState.OK);
        factory.phantoms.set(2);
        await(() -> loop.status().implausible() == 5);
        assertThat(events.taps).isEmpty();
    }

    @Test
    void unknownDriverIsAConfigurationError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReaderLoop(
                new ReaderConfig("acr122", "/dev/ttyS0", 9600, null), events, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acr122");
    }

    @Test
    void closeIsIdempotentAndStopsTheThread() {
        loop.start();
        await(() -> loop.status().state() == ReaderState.OK);
        loop.close();
        loop.close();
        assertThat(loop.status().state()).isEqualTo(ReaderState.DISCONNECTED);
        assertThat(factory.lastDriverClosed).isTrue();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    static final class Recorder implements ReaderListener {
        final List<CardTap> taps = new CopyOnWriteArrayList<>();
        final List<byte[]> removed = new CopyOnWriteArrayList<>();
        final List<ReaderState> states = new CopyOnWriteArrayList<>();

        @Override
        public void onTap(CardTap tap) {
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
    }

    static final class FakeDriverFactory implements DriverFactory {
        volatile byte[] card;
        volatile boolean unplugged;
        volatile boolean stalled;
        volatile boolean lastDriverClosed;
        final AtomicInteger failOpens = new AtomicInteger();
        final AtomicInteger missNext = new AtomicInteger();
        final AtomicInteger polls = new AtomicInteger();
        /** Link-level errors the current driver reports (frame errors, retries). */
        final java.util.concurrent.atomic.AtomicLong linkErrors = new java.util.concurrent.atomic.AtomicLong();
        final AtomicInteger opens = new AtomicInteger();
        /** How long an empty poll listens before "no card" (0: at once). */
        volatile long emptyPollNanos;
        /** Between the end of one poll and the start of the next, ns. */
        final List<Long> gaps = new CopyOnWriteArrayList<>();
        private volatile long lastPollEnd;
        /** Phantoms the current driver has dropped (a new driver after a reconnect starts at 0). */
        final AtomicInteger phantoms = new AtomicInteger();

        @Override
        public CardReaderDriver open(ReaderConfig config) throws IOException {
            if (unplugged || failOpens.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new ReaderDisconnectedException("serial port " + config.port() + " does not exist");
            }
            opens.incrementAndGet();
            lastDriverClosed = false;
            return new CardReaderDriver() {
                @Override
                public String port() {
                    return config.port();
                }

                @Override
                public String firmware() {
                    return "PN532 v1.6";
                }

                @Override
                public Optional<CardTap> poll(byte[] presentUid, Instant now) throws IOException {
                    long start = System.nanoTime();
                    if (lastPollEnd != 0) {
                        gaps.add(start - lastPollEnd);
                    }
                    try {
                        return answer(presentUid, now);
                    } finally {
                        lastPollEnd = System.nanoTime();
                    }
                }

                private Optional<CardTap> answer(byte[] presentUid, Instant now) throws IOException {
                    polls.incrementAndGet();
                    if (unplugged) {
                        throw new ReaderDisconnectedException("serial port " + config.port() + " is gone");
                    }
                    if (stalled) {
                        throw new IOException("PN532 on " + config.port() + " did not answer");
                    }
                    byte[] c = card;
                    if (c == null || missNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        long listen = emptyPollNanos;
                        if (listen > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(listen);
                        }
                        return Optional.empty();
                    }
                    return Optional.of(new CardTap(c, 4, 8, CardTap.CampusRead.NOT_ATTEMPTED, new byte[0], now));
                }

                @Override
                public long errors() {
                    return linkErrors.get();
                }

                @Override
                public long implausible() {
                    return phantoms.get();
                }

                @Override
                public void close() {
                    lastDriverClosed = true;
                    phantoms.set(0);
                }
            };
        }
    }
}
