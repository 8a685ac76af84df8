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

    NullSink(Consumer<Downstream> probe) {
        this.probe = probe;
    }

    @Override
    public Map<String, Long> cursors() {
        return Map.copyOf(cursors);
    }

    @Override
    public CompletionStage<Void> apply(Downstream change) {
        probe.accept(change);
        cursors.merge(change.getStream(), change.getVersion(), Math::max);
        return CompletableFuture.completedFuture(null);
    }
}
