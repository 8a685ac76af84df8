package com.onecard.pos.center.testing;

import com.onecard.pos.sync.DownstreamSink;
import com.onecard.pos.sync.proto.Downstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Records every change and advances its cursors, as the terminal's store would on commit. */
public final class FakeSink implements DownstreamSink {
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();
    private final List<Downstream> applied = new ArrayList<>();

    @Override
    public Map<String, Long> cursors() {
        return Map.copyOf(cursors);
    }

    @Override
    public synchronized CompletionStage<Void> apply(Downstream change) {
        applied.add(change);
        cursors.merge(change.getStream(), change.getVersion(), Math::max);
        return CompletableFuture.completedFuture(null);
    }

    public synchronized List<Downstream> applied() {
        return List.copyOf(applied);
    }
}
