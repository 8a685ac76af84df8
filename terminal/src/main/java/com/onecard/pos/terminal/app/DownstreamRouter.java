package com.onecard.pos.terminal.app;

import com.onecard.pos.sync.DownstreamSink;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.QrPaidNotice;
import com.onecard.pos.terminal.config.ConfigException;
import com.onecard.pos.terminal.sale.QrPaid;
import com.onecard.pos.terminal.sale.SaleFlow;
import com.onecard.pos.terminal.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every downstream stream of the center, routed on the terminal thread: account changes and
 * blacklist entries into the cache, payment-code issuer keys and revocations and the holders'
 * photos into the store, QR
 * paid notices to the sale flow, messages to the screen,
 * configuration to the config applier. A change and its stream cursor are committed together,
 * so a reconnect resumes exactly after the last one applied.
 *
 * <p>Account changes (thousands after a fleet-wide top-up, or while the center applies a drained
 * backlog) queue here and are applied in batches of up to {@value #ACCOUNT_BATCH} accounts, one
 * transaction each, as background work on the terminal thread: a tap never waits behind them. A
 * batch looks at up to {@value #COALESCE} queued changes and applies only each account's newest
 * (every change is acknowledged), in the order the center versioned them. Blacklist entries and QR notices go ahead of them.
 * The queue is bounded ({@value #MAX_QUEUED}); past that a change is refused unapplied (not
 * acknowledged, so the center sends it again), and the sync client stops reading while many
 * changes are in flight, which is the back-pressure that keeps the queue short.
 */
final class DownstreamRouter implements DownstreamSink {
    private static final Logger log = LoggerFactory.getLogger(DownstreamRouter.class);
    static final int ACCOUNT_BATCH = 100;
    static final int COALESCE = 1000;
    static final int MAX_QUEUED = 10_000;

    private record Queued(Downstream change, CompletableFuture<Void> applied) {
    }

    private final Store store;
    private final TerminalLoop loop;
    private final ConfigApplier config;
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Queued> accounts = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean flushPosted = new AtomicBoolean();
    private SaleFlow flow;
    private Screens screens;

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

    /** Account changes waiting for their batch. */
    int accountsQueued() {
        return queued.get();
    }

    @Override
    public CompletionStage<Void> apply(Downstream d) {
        return switch (d.getChangeCase()) {
            case ACCOUNT -> queueAccount(d);
            // a lost card and a logged-out phone must stop at once and a paid QR sale is waiting at
            // the window: ahead of batches
            case BLACKLIST, QR_PAID, PAYCODE_REVOCATION, PAYCODE_ISSUER -> loop.call(() -> {
                applyOne(d);
                return null;
            });
            default -> {
                CompletableFuture<Void> f = new CompletableFuture<>();
                loop.background(() -> {
                    try {
                        applyOne(d);
                        f.complete(null);
                    } catch (RuntimeException e) {
                        f.completeExceptionally(e);
                    }
                });
                yield f;
            }
        };
    }

    private CompletionStage<Void> queueAccount(Downstream d) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            f.completeExceptionally(new java.util.concurrent.RejectedExecutionException("terminal busy: " + MAX_QUEUED
                    + " account changes already queued; accounts v" + d.getVersion() + " not applied, the center sends it again"));
            return f;
        }
        accounts.add(new Queued(d, f));
        if (flushPosted.compareAndSet(false, true)) {
            loop.background(this::flushAccounts);
        }
        return f;
    }

    /** One batch of account changes in one transaction; re-posts itself behind any tap while more wait. Terminal thread. */
    private void flushAccounts() {
        flushPosted.set(false);
        List<Queued> batch = new ArrayList<>();
        Map<Long, Downstream> newest = new java.util.HashMap<>();
        Queued q;
        while (batch.size() < COALESCE && newest.size() < ACCOUNT_BATCH && (q = accounts.poll()) != null) {
            batch.add(q);
            newest.merge(q.change().getAccount().getAccountId(), q.change(),
                    (a, b) -> b.getAccount().getVersion() >= a.getAccount().getVersion() ? b : a);
        }
        queued.addAndGet(-batch.size());
        if (!batch.isEmpty()) {
            List<Downstream> ordered = new ArrayList<>(newest.values());
            ordered.sort(java.util.Comparator.comparingLong(Downstream::getVersion));
            List<AccountUpdate> updates = new ArrayList<>(ordered.size());
            ordered.forEach(d -> updates.add(d.getAccount()));
            long version = 0;
            for (Queued b : batch) {
                version = Math.max(version, b.change().getVersion());
            }
            try {
                store.accounts().applyAccounts(updates, version);
                cursors.merge("accounts", version, Math::max);
                batch.forEach(b -> b.applied().complete(null));
            } catch (RuntimeException e) {
                log.warn("applying {} account changes up to v{} failed ({}); the center sends them again", batch.size(),
                        version, e.getMessage());
                batch.forEach(b -> b.applied().completeExceptionally(e));
            }
        }
        if (!accounts.isEmpty() && flushPosted.compareAndSet(false, true)) {
            loop.background(this::flushAccounts);
        }
    }

    /** A change of any stream but accounts. Terminal thread. */
    private void applyOne(Downstream d) {
        long have = cursors.getOrDefault(d.getStream(), 0L);
        if (d.getVersion() <= have) {
            return;
        }
        switch (d.getChangeCase()) {
            case BLACKLIST -> {
                store.accounts().applyBlacklist(d.getBlacklist(), d.getVersion());
                log.info("blacklist v{}: card {} {}", d.getVersion(),
                        HexFormat.of().withUpperCase().formatHex(d.getBlacklist().getCardUid().toByteArray()),
                        d.getBlacklist().getListed() ? "listed" : "unlisted");
            }
            case PAYCODE_ISSUER -> {
                store.paycodes().applyIssuer(d.getPaycodeIssuer(), d.getVersion());
                log.info("paycode v{}: issuer key {} stored", d.getVersion(),
                        Integer.toHexString(d.getPaycodeIssuer().getKeyId()));
            }
            case HOLDER_PHOTO -> {
                store.photos().apply(d.getHolderPhoto(), d.getVersion());
                log.debug("photos v{}: photo {} of account {} stored", d.getVersion(), d.getHolderPhoto().getPhotoId(),
                        d.getHolderPhoto().getAccountId());
            }
            case PAYCODE_REVOCATION -> {
                store.paycodes().applyRevocation(d.getPaycodeRevocation(), d.getVersion());
                log.info("paycode v{}: certificate {} of account {} revoked ({})", d.getVersion(),
                        d.getPaycodeRevocation().getSerial(), d.getPaycodeRevocation().getAccountId(),
                        d.getPaycodeRevocation().getReason());
            }
            default -> {
                other(d);
                store.accounts().setCursor(d.getStream(), d.getVersion());
            }
        }
        cursors.merge(d.getStream(), d.getVersion(), Math::max);
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

    /** A key sent by the card center: one it may set is validated and saved like posctl config set; any other is refused. */
    private void applyConfig(String key, String value) {
        try {
            ConfigApplier.Applied a = config.applyFromCenter(key, value);
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
