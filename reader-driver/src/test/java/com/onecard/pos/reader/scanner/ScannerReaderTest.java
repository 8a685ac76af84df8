package com.onecard.pos.reader.scanner;

import com.onecard.pos.reader.serial.ReaderDisconnectedException;
import com.onecard.pos.reader.serial.SerialLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** ScannerReader over a hand-written fake link that can be unplugged and refuse to open. */
class ScannerReaderTest {
    private final List<String> codes = new CopyOnWriteArrayList<>();
    private final AtomicInteger opens = new AtomicInteger();
    private volatile FakeLink current;
    private volatile boolean portMissing;
    private final ScannerReader reader = new ScannerReader("/dev/fake-scanner", () -> {
        opens.incrementAndGet();
        if (portMissing) {
            throw new ReaderDisconnectedException("serial port /dev/fake-scanner does not exist");
        }
        current = new FakeLink();
        return current;
    }, new ScannerLineDecoder(512, Duration.ofMillis(50)), codes::add, System::nanoTime);

    @AfterEach
    void tearDown() {
        reader.close();
    }

    @Test
    void deliversCodesInOrderAndFlushesAnUnterminatedOne() {
        reader.start();
        await(reader::connected);
        current.send("CODE-1\r\nCO");
        current.send("DE-2\rCODE-3");
        await(() -> codes.size() == 3);
        assertThat(codes).containsExactly("CODE-1", "CODE-2", "CODE-3");
        assertThat(reader.codesDelivered()).isEqualTo(3);
    }

    @Test
    void reconnectsAfterUnplugAndDropsTheHalfLine() {
        reader.start();
        await(reader::connected);
        portMissing = true;
        current.send("HALF");
        // the unplug comes right after the half line, before its idle gap could end it
        current.in.add(FakeLink.UNPLUG);
        await(() -> !reader.connected() && reader.lastError().contains("/dev/fake-scanner"));
        int opensWhileMissing = opens.get();
        await(() -> opens.get() > opensWhileMissing + 1);
        portMissing = false;
        await(reader::connected);
        current.send("AFTER\r\n");
        await(() -> codes.size() == 1);
        assertThat(codes).containsExactly("AFTER");
        assertThat(reader.reconnects()).isEqualTo(1);
    }

    @Test
    void aThrowingConsumerDoesNotStopTheScanner() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ScannerReader r = new ScannerReader("/dev/fake-scanner", () -> current = new FakeLink(),
                new ScannerLineDecoder(), c -> {
            seen.add(c);
            throw new IllegalStateException("consumer bug");
        }, System::nanoTime)) {
            r.start();
            await(r::connected);
            current.send("A\rB\r");
            await(() -> seen.size() == 2);
            assertThat(r.connected()).isTrue();
        }
    }

    @Test
    void closeStopsTheThreadAndIsIdempotent() {
        reader.start();
        await(reader::connected);
        reader.close();
        reader.close();
        assertThat(reader.connected()).isFalse();
        assertThat(current.closed).isTrue();
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

    static final class FakeLink implements SerialLink {
        static final byte[] UNPLUG = new byte[0];
        final LinkedBlockingQueue<byte[]> in = new LinkedBlockingQueue<>();
        volatile boolean gone;
        volatile boolean closed;

        void send(String s) {
            in.add(s.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String port() {
            return "/dev/fake-scanner";
        }

        @Override
        public int read(byte[] buf, Duration timeout) throws IOException {
            if (gone || closed) {
                throw new ReaderDisconnectedException("serial port /dev/fake-scanner is gone");
            }
            byte[] next;
            try {
                next = in.poll(Math.min(timeout.toMillis(), 20), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            if (next == null) {
                return 0;
            }
            if (next == UNPLUG) {
                gone = true;
                throw new ReaderDisconnectedException("serial port /dev/fake-scanner is gone");
            }
            System.arraycopy(next, 0, buf, 0, next.length);
            return next.length;
        }

        @Override
        public int available() {
            byte[] next = in.peek();
            return next == null || next == UNPLUG ? 0 : next.length;
        }

        @Override
        public void write(byte[] data) {
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
