package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.bills.Bills;
import com.onecard.pos.center.identity.AccessTokens;
import com.onecard.pos.center.identity.AppKeys;
import com.onecard.pos.center.identity.AppUsers;
import com.onecard.pos.center.identity.AttemptCounters;
import com.onecard.pos.center.identity.Audit;
import com.onecard.pos.center.identity.CardPasswords;
import com.onecard.pos.center.identity.Logins;
import com.onecard.pos.center.identity.PasswordHasher;
import com.onecard.pos.center.identity.Sessions;
import com.onecard.pos.center.identity.SmsCodes;
import com.onecard.pos.center.notice.Notices;
import com.onecard.pos.center.paycode.PaycodeCertificates;
import com.onecard.pos.center.paycode.PaycodeIssuer;
import com.onecard.pos.center.office.OfficeViews;
import com.onecard.pos.center.photo.Photos;
import com.onecard.pos.center.topup.Alipay;
import com.onecard.pos.center.topup.PaymentProvider;
import com.onecard.pos.center.topup.Reconciliation;
import com.onecard.pos.center.topup.TopUpOrders;
import com.onecard.pos.center.topup.TopUps;
import com.onecard.pos.center.topup.WechatPayV3;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The campus app's service on one center instance, wired: its aggregates (users, sessions,
 * codes, attempt counters, card passwords, orders, photos, audit) on the ledger's unit of
 * work, the payment providers, the HTTP server, and the sweep that queries and closes unpaid
 * orders. Wiring only.
 */
public final class AppService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AppService.class);
    static final String API_DOCUMENT = "/openapi/app-api.yaml";

    private final AppUsers users;
    private final Logins logins;
    private final Sessions sessions;
    private final AttemptCounters attempts;
    private final CardPasswords cardPasswords;
    private final TopUps topUps;
    private final Reconciliation reconciliation;
    private final Photos photos;
    private final PaycodeCertificates paycodes;
    private final Audit audit;
    private final PasswordHasher hasher;
    private final List<Route> routes;
    private final AppServer server;
    private final ScheduledExecutorService sweeper;
    /** The terminals connected to this instance's sync gateway; null until a gateway is attached. */
    private volatile Supplier<Set<String>> connectedTerminals = () -> null;
    private volatile Supplier<java.util.Map<String, com.onecard.pos.sync.TerminalHealth>> terminalHealth =
            java.util.Map::of;

    private AppService(CenterLedger ledger, AppServiceConfig cfg, String host, int port, Clock clock) {
        var uow = ledger.unitOfWork();
        byte[] secret = cfg.tokenSecret();
        if (secret == null) {
            secret = new SecureRandom().generateSeed(32);
            log.warn("app.token-secret-file is not set: tokens issued here work on this instance only");
        }
        hasher = new PasswordHasher(cfg.passwordCost());
        users = new AppUsers(uow, clock);
        AppKeys keys = AppKeys.derive(secret);
        sessions = new Sessions(uow, clock, cfg.refreshTtl(), keys.refreshTokens());
        attempts = new AttemptCounters(uow, clock);
        audit = new Audit(uow, clock);
        AccessTokens tokens = new AccessTokens(keys.accessTokens(), clock, cfg.accessTtl());
        SmsCodes codes = new SmsCodes(uow, attempts, cfg.sms(), keys.smsCodes(), clock, cfg.smsLimits());
        logins = new Logins(uow, users, sessions, codes, attempts, tokens, hasher, audit, cfg.loginPolicies());
        cardPasswords = new CardPasswords(uow, attempts, hasher, cfg.cardPasswordPolicy(), clock);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, PaymentProvider> providers = new HashMap<>();
        if (cfg.wechat() != null) {
            providers.put("wechat", new WechatPayV3(cfg.wechat(), http, clock));
        }
        if (cfg.alipay() != null) {
            providers.put("alipay", new Alipay(cfg.alipay(), http, clock));
        }
        TopUpOrders orders = new TopUpOrders(uow, ledger.accounts(), clock);
        topUps = new TopUps(orders, providers, clock, new TopUps.Settings(cfg.orderTimeout(), cfg.queryAfter(),
                cfg.queryEvery(), cfg.publicUrl()));
        reconciliation = new Reconciliation(uow, orders, clock);
        photos = new Photos(uow, ledger.messages(), cfg.photoRules(), clock);
        routes = new ArrayList<>();
        routes.add(new Route("GET", "/api/v1/openapi.yaml", Access.PUBLIC,
                c -> new Reply(200, "application/yaml; charset=utf-8", apiDocument())));
        routes.addAll(new AuthEndpoints(logins, users).routes());
        routes.addAll(new CardEndpoints(ledger.accounts(), ledger.messages(), new Bills(uow), cardPasswords, attempts, clock).routes());
        routes.addAll(new TopUpEndpoints(topUps).routes());
        routes.addAll(new QrEndpoints(ledger.qr(), cardPasswords, cfg.qrPasswordAboveFen(), clock).routes());
        routes.addAll(new PhotoEndpoints(photos).routes());
        paycodes = new PaycodeCertificates(uow, PaycodeIssuer.fromSecret(secret), clock);
        paycodes.publishIssuerKey();
        routes.addAll(new PaycodeEndpoints(paycodes, clock).routes());
        routes.addAll(new OfficeEndpoints(ledger.terminals(), new OfficeViews(uow), () -> connectedTerminals.get(),
                () -> terminalHealth.get()).routes());
        routes.addAll(new AdminEndpoints(photos, logins, users, cardPasswords, topUps, reconciliation, audit,
                new Notices(uow, clock)).routes());
        server = AppServer.start(host, port, routes, new Authenticator(tokens, sessions), new ObjectMapper(),
                cfg.maxThreads(), cfg.idleTimeoutMs(), cfg.trustedProxies());
        if (cfg.publicUrl() == null) {
            topUps.notifyBaseUrl("http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + server.port());
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "topup-sweep");
            t.setDaemon(true);
            return t;
        });
        long every = cfg.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** Starts the service on {@code host:port} (0 = ephemeral) over the ledger. */
    public static AppService start(CenterLedger ledger, AppServiceConfig config, String host, int port, Clock clock) {
        return new AppService(ledger, config, host, port, clock);
    }

    private void sweepQuietly() {
        try {
            topUps.sweep();
        } catch (RuntimeException e) {
            log.warn("top-up sweep failed: {}", e.getMessage());
        }
    }

    static byte[] apiDocument() {
        try (InputStream in = AppService.class.getResourceAsStream(API_DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException("the API document " + API_DOCUMENT + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + API_DOCUMENT, e);
        }
    }

    public int port() {
        return server.port();
    }

    /** The card office's fleet view reports these terminals connected (this instance's sync gateway). */
    public void connectedTerminals(Supplier<Set<String>> connected) {
        this.connectedTerminals = connected;
    }

    /** The card office's fleet view shows these terminals' backlog and reader state (this instance's sessions). */
    public void terminalHealth(Supplier<java.util.Map<String, com.onecard.pos.sync.TerminalHealth>> health) {
        this.terminalHealth = health;
    }

    List<Route> routes() {
        return routes;
    }

    public AppUsers users() {
        return users;
    }

    public Logins logins() {
        return logins;
    }

    public Sessions sessions() {
        return sessions;
    }

    public AttemptCounters attempts() {
        return attempts;
    }

    public CardPasswords cardPasswords() {
        return cardPasswords;
    }

    public TopUps topUps() {
        return topUps;
    }

    public Reconciliation reconciliation() {
        return reconciliation;
    }

    public Photos photos() {
        return photos;
    }

    /** Payment-code device certificates (支付码). */
    public PaycodeCertificates paycodes() {
        return paycodes;
    }

    public Audit audit() {
        return audit;
    }

    public PasswordHasher hasher() {
        return hasher;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        server.close();
    }
}
