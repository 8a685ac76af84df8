package com.onecard.pos.sim;

import com.onecard.pos.sync.DownstreamSink;
import com.onecard.pos.sync.Outbox;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.sync.client.SyncClientConfig;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.JournalRow;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Extra terminals without a daemon: each a real {@link SyncClient} over TLS with an empty outbox
 * and an in-memory sink, so a fleet can be large on a laptop. They only keep the blacklist, to
 * measure how fast a loss reaches every terminal.
 */
public final class LightFleet implements AutoCloseable {
    private final List<Light> lights = new ArrayList<>();

    /** One light terminal: its client and the blacklisted card UIDs (upper-case hex) it holds. */
    private record Light(String id, SyncClient client, Sink sink) {
    }

    private static final class Sink implements DownstreamSink {
        final Map<String, Long> cursors = new ConcurrentHashMap<>();
        final Set<String> blacklisted = ConcurrentHashMap.newKeySet();

        @Override
        public Map<String, Long> cursors() {
            return Map.copyOf(cursors);
        }

        @Override
        public CompletionStage<Void> apply(Downstream d) {
            if (d.getChangeCase() == Downstream.ChangeCase.BLACKLIST) {
                String uid = HexFormat.of().withUpperCase().formatHex(d.getBlacklist().getCardUid().toByteArray());
                if (d.getBlacklist().getListed()) {
                    blacklisted.add(uid);
                } else {
                    blacklisted.remove(uid);
                }
            }
            cursors.merge(d.getStream(), d.getVersion(), Math::max);
            return CompletableFuture.completedFuture(null);
        }
    }

    private static final class EmptyOutbox implements Outbox {
        private volatile long acked;

        @Override
        public List<JournalRow> rowsAfter(long afterSeq, int max) {
            return List.of();
        }

        @Override
        public void acknowledged(long seq) {
            acked = Math.max(acked, seq);
        }

        @Override
        public long lastAcknowledged() {
            return acked;
        }
    }

    public static String lightId(int i) {
        return String.format("L%03d", i + 1);
    }

    /** Connects one light terminal per id to the center at {@code port}. */
    LightFleet(Keys keys, int port, List<String> ids) {
        for (String id : ids) {
            Sink sink = new Sink();
            SyncClient c = new SyncClient(new SyncClientConfig("localhost", port, id, "sim-light", keys.ca(),
                    keys.terminalDir(id).resolve("terminal.pem"), keys.terminalDir(id).resolve("terminal.key"),
                    Duration.ofSeconds(5), 100, Duration.ofMillis(5)), new EmptyOutbox(), sink, Clock.systemUTC());
            c.start();
            lights.add(new Light(id, c, sink));
        }
    }

    /** Light terminals with an open session to the center. */
    public long connected() {
        return lights.stream().filter(l -> l.client().status().connected()).count();
    }

    /** Light terminals whose blacklist holds {@code uidHex} (listed) or not (unlisted). */
    public long holding(String uidHex, boolean listed) {
        String uid = uidHex.toUpperCase();
        return lights.stream().filter(l -> l.sink().blacklisted.contains(uid) == listed).count();
    }

    public int size() {
        return lights.size();
    }

    @Override
    public void close() {
        lights.forEach(l -> l.client().close());
    }
}
