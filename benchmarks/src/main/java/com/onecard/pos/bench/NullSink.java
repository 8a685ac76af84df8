package com.onecard.pos.bench;

import com.onecard.pos.sync.DownstreamSink;
import com.onecard.pos.sync.proto.Downstream;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** A downstream sink that keeps only the stream cursors and hands each change to a probe. */
final class NullSink implements DownstreamSink {
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();
    private final Consumer<Downstream> probe;
    private final java.util.concurrent.atomic.AtomicLong applied = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong accounts = new java.util.concurrent.atomic.AtomicLong();

    NullSink(Consumer<Downstream> probe) {
        this.probe = probe;
    }

    @Override
    public Map<String, Long> cursors() {
        return Map.copyOf(cursors);
    }

    /** Changes applied since this sink was made. */
    long applied() {
        return applied.get();
    }

    /** Account changes applied since the last {@link #rewind()} (or since this sink was made). */
    long accountsSinceRewind() {
        return accounts.get();
    }

    /** Forgets every cursor: the next session asks for each stream from the start (caches reset). */
    void rewind() {
        cursors.clear();
        accounts.set(0);
    }

    @Override
    public CompletionStage<Void> apply(Downstream change) {
        probe.accept(change);
        applied.incrementAndGet();
        if (change.hasAccount()) {
            accounts.incrementAndGet();
        }
        cursors.merge(change.getStream(), change.getVersion(), Math::max);
        return CompletableFuture.completedFuture(null);
    }
}
