package com.onecard.pos.center;

import com.onecard.pos.center.app.AppService;
import com.onecard.pos.center.app.AppServiceConfig;
import com.onecard.pos.center.sync.SyncGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One card center instance, wired: the ledger ({@link CenterLedger}) and its change feed, the
 * sync gateway for terminals and the campus app's API. Several instances may run against one
 * database; none is special. This class only builds the parts and hands them to each other.
 */
public final class Center implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Center.class);

    private final CenterLedger ledger;
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final SyncGateway gateway;
    private final AppService appApi;

    private Center(CenterConfig config, AppServiceConfig app, Clock clock) {
        ledger = CenterLedger.open(config.database(), clock, config.policy());
        parts.add(ledger);
        try {
            ledger.startFeed();
            Housekeeping housekeeping = new Housekeeping(ledger.holds(), config.policy().holdRetention())
                    .start(Housekeeping.EVERY);
            parts.add(0, housekeeping);
            ExecutorService pool = pool("center-db-", config.workers());
            parts.add(0, pool::shutdownNow);
            ExecutorService authPool = pool("center-auth-", authThreads(config));
            parts.add(0, authPool::shutdownNow);
            gateway = new SyncGateway(new SyncGateway.Listen(config.syncHost(), config.syncPort(), config.caCert(),
                    config.serverCert(), config.serverKey(), config.ticketSecret()), ledger, pool, authPool, clock,
                    config.replaysAtOnce(),
                    config.replayChangesPerSecond(), config.handshakesAtOnce());
            parts.add(0, gateway);
            appApi = config.appPort() < 0 ? null
                    : AppService.start(ledger, app, config.appHost(), config.appPort(), clock);
            if (appApi != null) {
                appApi.connectedTerminals(gateway::connectedTerminals);
                appApi.terminalHealth(gateway::terminalHealth);
                parts.add(0, appApi);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens the database (migrating it), then listens; IllegalStateException / LedgerException naming what failed. */
    public static Center start(CenterConfig config, Clock clock) {
        return new Center(config, AppServiceConfig.defaults(), clock);
    }

    /** As {@link #start(CenterConfig, Clock)}, with the campus app's service configured ({@code app}). */
    public static Center start(CenterConfig config, AppServiceConfig app, Clock clock) {
        return new Center(config, app, clock);
    }

    public static Center start(CenterConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** Online authorizations get threads (and so connections) of their own: a quarter of the pool, at least 2. */
    static int authThreads(CenterConfig config) {
        return Math.max(2, config.database().poolSize() / 4);
    }

    private static ExecutorService pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public int syncPort() {
        return gateway.port();
    }

    /** The app API's port, or -1 when this instance does not serve it. */
    public int appPort() {
        return appApi == null ? -1 : appApi.port();
    }

    /** The campus app's service, or null when this instance does not serve it. */
    public AppService app() {
        return appApi;
    }

    public SyncGateway gateway() {
        return gateway;
    }

    public CenterLedger ledger() {
        return ledger;
    }

    @Override
    public void close() {
        for (AutoCloseable p : parts) {
            try {
                p.close();
            } catch (Exception e) {
                log.warn("stopping the center: {}: {}", p.getClass().getSimpleName(), e.getMessage());
            }
        }
        parts.clear();
    }
}
