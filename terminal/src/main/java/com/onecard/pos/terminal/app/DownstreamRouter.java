package com.onecard.pos.terminal.app;

import com.onecard.pos.sync.DownstreamSink;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.QrPaidNotice;
import com.onecard.pos.terminal.config.ConfigException;
import com.onecard.pos.terminal.sale.QrPaid;
import com.onecard.pos.terminal.sale.SaleFlow;
import com.onecard.pos.terminal.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every downstream stream of the center, routed on the terminal thread: account changes and
 * blacklist entries into the cache, QR paid notices to the sale flow, messages to the screen,
 * configuration to the config applier. Each change and its stream cursor are committed
 * together, so a reconnect resumes exactly after the last one applied.
 */
final class DownstreamRouter implements DownstreamSink {
    private static final Logger log = LoggerFactory.getLogger(DownstreamRouter.class);
    private final Store store;
    private final TerminalLoop loop;
    private final ConfigApplier config;
    private SaleFlow flow;
    private Screens screens;
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();

    DownstreamRouter(Store store, TerminalLoop loop, ConfigApplier config) {
        this.store = store;
        this.loop = loop;
        this.config = config;
        cursors.putAll(store.accounts().cursors());
    }

    /** The parts built after the sync client (which needs this router first); before it is started. */
    void bind(SaleFlow flow, Screens screens) {
        this.flow = flow;
        this.screens = screens;
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
                            HexFormat.of().withUpperCase().formatHex(d.getBlacklist().getCardUid().toByteArray()),
                            d.getBlacklist().getListed() ? "listed" : "unlisted");
                }
                default -> {
                    other(d);
                    store.accounts().setCursor(d.getStream(), d.getVersion());
                }
            }
            cursors.merge(d.getStream(), d.getVersion(), Math::max);
            return null;
        });
    }

    /** Streams without a table of their own. Terminal thread. */
    private void other(Downstream d) {
        switch (d.getChangeCase()) {
            case MESSAGE -> {
                String message = d.getMessage().getText();
                log.info("message from the card center: {}", message);
                if (flow.state() == SaleFlow.State.IDLE) {
                    screens.message(message);
                }
            }
            case QR_PAID -> flow.onQrPaid(qrPaid(d.getQrPaid()));
            case CONFIG -> applyConfig(d.getConfig().getKey(), d.getConfig().getValue());
            default -> log.debug("downstream {} v{} not used by this terminal", d.getStream(), d.getVersion());
        }
    }

    static QrPaid qrPaid(QrPaidNotice n) {
        return new QrPaid(n.getToken(), n.getSaleId(), n.getAccountId(), n.getHolderName(), n.getAmountFen(),
                n.getBalanceAfterFen());
    }

    /** A key sent by the card center: validated and saved like posctl config set. */
    private void applyConfig(String key, String value) {
        try {
            ConfigApplier.Applied a = config.apply(key, value);
            a.warnings().forEach(w -> log.warn("configuration from the card center: {}", w));
            if (a.live()) {
                log.info("configuration from the card center applied: {}={}", key, a.value());
            } else {
                log.info("configuration from the card center saved, applies at the next restart: {}={}", key, a.value());
            }
        } catch (ConfigException e) {
            log.warn("configuration from the card center refused, file unchanged: {}", e.getMessage());
        }
    }
}
