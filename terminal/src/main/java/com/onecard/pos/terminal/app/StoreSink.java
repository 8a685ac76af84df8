package com.onecard.pos.terminal.app;

import com.onecard.pos.sync.DownstreamSink;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.terminal.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Applies the center's downstream changes on the terminal thread. Each change and its stream
 * cursor are committed in one transaction, so a reconnect resumes exactly after the last one.
 */
final class StoreSink implements DownstreamSink {
    private static final Logger log = LoggerFactory.getLogger(StoreSink.class);
    private final Store store;
    private final TerminalLoop loop;
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();
    private final Consumer<Downstream> others;

    /** @param others handles streams without a table of their own (QR notices, messages, config); runs on the terminal thread */
    StoreSink(Store store, TerminalLoop loop, Consumer<Downstream> others) {
        this.store = store;
        this.loop = loop;
        this.others = others;
        cursors.putAll(store.accounts().cursors());
    }

    @Override
    public Map<String, Long> cursors() {
        return Map.copyOf(cursors);
    }

    @Override
    public CompletionStage<Void> apply(Downstream d) {
        return loop.call(() -> {
            long have = cursors.getOrDefault(d.getStream(), 0L);
            // account changes carry their own version and the upsert keeps the newest, so one that
            // arrives after a newer change to another account is still applied, never dropped
            if (d.getVersion() <= have && d.getChangeCase() != Downstream.ChangeCase.ACCOUNT) {
                return null;
            }
            switch (d.getChangeCase()) {
                case ACCOUNT -> store.accounts().applyAccount(d.getAccount(), d.getVersion());
                case BLACKLIST -> {
                    store.accounts().applyBlacklist(d.getBlacklist(), d.getVersion());
                    log.info("blacklist v{}: card {} {}", d.getVersion(),
                            java.util.HexFormat.of().withUpperCase().formatHex(d.getBlacklist().getCardUid().toByteArray()),
                            d.getBlacklist().getListed() ? "listed" : "unlisted");
                }
                default -> {
                    others.accept(d);
                    store.accounts().setCursor(d.getStream(), d.getVersion());
                }
            }
            cursors.merge(d.getStream(), d.getVersion(), Math::max);
            return null;
        });
    }
}
