package com.onecard.pos.terminal.app;

import com.onecard.pos.display.Screen;
import com.onecard.pos.display.ScreenRenderer;
import com.onecard.pos.display.StatusBar;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.ReaderConfig;
import com.onecard.pos.reader.ReaderListener;
import com.onecard.pos.reader.ReaderState;
import com.onecard.pos.reader.ReaderStatus;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.gpio.Feedback;
import com.onecard.pos.reader.gpio.Feedbacks;
import com.onecard.pos.reader.loop.ReaderLoop;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.sync.client.SyncClientConfig;
import com.onecard.pos.sync.client.SyncStatus;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.terminal.config.ConfigLoader;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.sale.OnlineAuthorizer;
import com.onecard.pos.terminal.sale.QrIssuer;
import com.onecard.pos.terminal.sale.SaleFlow;
import com.onecard.pos.terminal.sale.SaleOutcome;
import com.onecard.pos.terminal.sale.SaleSignals;
import com.onecard.pos.terminal.store.OutboxReader;
import com.onecard.pos.terminal.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon's parts wired together: store, sale flow on the terminal thread, reader loop,
 * sync client, display, buzzer/LEDs and the control socket.
 */
public final class TerminalApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TerminalApp.class);

    volatile TerminalConfig cfg;
    final Clock clock;
    final Instant startedAt;
    final Store store;
    final TerminalLoop loop;
    final SaleFlow flow;
    private final CampusCard campusCard;
    private final OutboxReader outboxReader;
    private final Display display;
    private final Feedback feedback;
    private final ReaderLoop reader;
    private final SyncClient sync;
    private final StoreOutbox outbox;
    private final com.onecard.pos.terminal.control.ControlServer control;
    private final Map<String, CompletableFuture<SaleOutcome>> outcomes = new ConcurrentHashMap<>();
    private volatile SaleOutcome lastOutcome;
    private volatile String message = "";

    private TerminalApp(TerminalConfig cfg, Clock clock, ScreenRenderer renderer) throws IOException {
        this.cfg = cfg;
        this.clock = clock;
        this.startedAt = clock.instant();
        MDC.put("terminal", cfg.terminal().id());
        byte[] secret = Secrets.readHexKey(cfg.terminal().secretFile(), "terminal secret");
        this.campusCard = cfg.terminal().issuerKeyFile() == null ? null
                : new CampusCard(Secrets.readHexKey(cfg.terminal().issuerKeyFile(), "issuer key"));
        if (campusCard == null && cfg.reader().requireCredential()) {
            throw new IOException("reader.require-credential=true needs terminal.issuer-key-file to verify campus cards");
        }
        Path db = cfg.terminal().dataDir().resolve("terminal.db");
        this.store = Store.open(db, secret);
        var broken = store.verifyChain();
        if (broken.isPresent()) {
            store.close();
            throw new IOException("journal " + db + " failed verification: " + broken.get()
                    + "; the daemon will not run on a tampered journal. Keep the file for the card center and see docs/operations.md");
        }
        this.loop = new TerminalLoop(cfg.terminal().id());
        this.outboxReader = new OutboxReader(db);
        this.display = new Display(renderer);
        this.feedback = Feedbacks.create(cfg.gpio().platform(), cfg.gpio().buzzerPin(), cfg.gpio().greenPin(), cfg.gpio().redPin());

        if (cfg.center().host().isEmpty()) {
            this.outbox = null;
            this.sync = null;
        } else {
            var sc = new SyncClientConfig(cfg.center().host(), cfg.center().port(), cfg.terminal().id(), Version.get(),
                    cfg.center().caCert(), cfg.center().cert(), cfg.center().key(), cfg.center().heartbeat(),
                    cfg.center().batchMaxRows(), cfg.center().batchLinger());
            this.outbox = new StoreOutbox(outboxReader, store, loop);
            this.sync = new SyncClient(sc, outbox,
                    new StoreSink(store, loop, this::onOtherDownstream), clock);
        }
        OnlineAuthorizer online = sync == null ? null : new OnlineAuthorizer() {
            @Override
            public boolean connected() {
                return sync.status().connected();
            }

            @Override
            public CompletableFuture<AuthResponse> authorize(AuthRequest request, Duration deadline) {
                return sync.authorize(request, deadline);
            }
        };
        this.flow = new SaleFlow(cfg, store, online, campusCard, new QrIssuer(cfg.terminal(), secret), new Signals(), loop, clock);
        this.reader = cfg.reader().driver().equals("none") ? null
                : new ReaderLoop(new ReaderConfig(cfg.reader().driver(), cfg.reader().port(), cfg.reader().baud(), campusCard),
                new Listener(), clock);
        this.control = new com.onecard.pos.terminal.control.ControlServer(cfg.control().socket(), cfg.control().group(),
                new TerminalControl(this));
    }

    /** Builds and starts every part; returns when the terminal is ready for sales. */
    public static TerminalApp start(TerminalConfig cfg, Clock clock, ScreenRenderer renderer) throws IOException {
        log.info("starting terminal {} firmware {}; effective configuration:\n{}", cfg.terminal().id(), Version.get(),
                ConfigLoader.describe(cfg));
        TerminalApp app = new TerminalApp(cfg, clock, renderer);
        app.loop.every(Duration.ofMillis(200), app.flow::tick);
        if (app.sync != null) {
            app.sync.start();
        }
        if (app.reader != null) {
            app.reader.start();
        }
        app.loop.execute(app::showIdle);
        app.loop.execute(app::recallLastSale);
        if (cfg.control().stdinKeypad()) {
            StdinKeypad.start(app, System.in);
        }
        var b = app.loop.call(app.store::backlog).join();
        log.info("terminal {} ready: {} accounts cached, {} blacklisted, backlog {} rows, journal at seq {}",
                cfg.terminal().id(), app.store.accounts().accountCount(), app.store.accounts().blacklistCount(), b.count(), b.lastSeq());
        return app;
    }

    // ---- events from other threads ------------------------------------------------------------

    private volatile CompletableFuture<CardTap> tapCapture;

    /** The next tap goes to the returned future (posctl reader test) instead of the sale flow. */
    CompletableFuture<CardTap> captureNextTap() {
        CompletableFuture<CardTap> f = new CompletableFuture<>();
        tapCapture = f;
        return f;
    }

    /** What a technician wants to know of a tapped card. Runs on the terminal thread. */
    com.fasterxml.jackson.databind.node.ObjectNode describeTap(com.fasterxml.jackson.databind.ObjectMapper json, CardTap tap) {
        var n = json.createObjectNode();
        n.put("ok", true);
        n.put("uid", tap.uidHex());
        n.put("atqa", String.format("%04X", tap.atqa()));
        n.put("sak", String.format("%02X", tap.sak()));
        n.put("card_type", tap.sak() == 0x08 ? "MIFARE Classic 1K" : tap.sak() == 0x18 ? "MIFARE Classic 4K" : "other (SAK " + tap.sak() + ")");
        n.put("campus_read", tap.campusRead().name());
        if (campusCard != null && tap.campusRead() == CardTap.CampusRead.OK) {
            var v = campusCard.verify(tap.uid(), tap.campusData());
            n.put("campus_verified", v.result().name());
            if (v.data() != null) {
                n.put("card_account_id", v.data().accountId());
                n.put("card_serial", v.data().cardSerial());
            }
        }
        n.put("known", store.accounts().accountByUid(tap.uid()).isPresent());
        n.put("blacklisted", store.accounts().blacklisted(tap.uid()));
        var r = readerStatus();
        n.put("firmware", r == null ? "" : r.firmware());
        return n;
    }

    private final class Listener implements ReaderListener {
        @Override
        public void onTap(CardTap tap) {
            CompletableFuture<CardTap> capture = tapCapture;
            if (capture != null && !capture.isDone()) {
                tapCapture = null;
                capture.complete(tap);
                return;
            }
            loop.execute(() -> flow.onTap(tap));
        }

        @Override
        public void onStatus(ReaderStatus status) {
            if (status.state() == ReaderState.DISCONNECTED) {
                log.warn("reader {} disconnected: {}", status.port(), status.lastError());
            } else {
                log.info("reader {} {} {}", status.port(), status.state(), status.firmware());
            }
        }
    }

    private void onOtherDownstream(Downstream d) {
        switch (d.getChangeCase()) {
            case MESSAGE -> {
                message = d.getMessage().getText();
                log.info("message from the card center: {}", message);
                if (flow.state() == SaleFlow.State.IDLE) {
                    display.show(new Screen.Message(statusBar(), message));
                }
            }
            case QR_PAID -> flow.onQrPaid(d.getQrPaid());
            case CONFIG -> applyCenterConfig(d.getConfig().getKey(), d.getConfig().getValue());
            default -> log.debug("downstream {} v{} not used by this terminal", d.getStream(), d.getVersion());
        }
    }

    /** A key sent by the card center: validated and saved like posctl config set. Terminal thread. */
    private void applyCenterConfig(String key, String value) {
        try {
            TerminalConfig next = com.onecard.pos.terminal.config.ConfigEditor.set(cfg.source(), key, value);
            next.warnings().stream().filter(w -> w.startsWith(key + "="))
                    .forEach(w -> log.warn("configuration from the card center: {}", w));
            if (liveKey(key)) {
                flow.reconfigure(next);
                cfg = next;
                log.info("configuration from the card center applied: {}={}", key, next.effective().get(key));
            } else {
                log.info("configuration from the card center saved, applies at the next restart: {}={}", key,
                        next.effective().get(key));
            }
        } catch (com.onecard.pos.terminal.config.ConfigException e) {
            log.warn("configuration from the card center refused, file unchanged: {}", e.getMessage());
        }
    }

    /** Keys the sale flow can take without a restart. */
    static boolean liveKey(String key) {
        return com.onecard.pos.terminal.config.ConfigKeys.find(key).map(com.onecard.pos.terminal.config.ConfigKey::live).orElse(false);
    }

    private final class Signals implements SaleSignals {
        @Override
        public void waitingForCard(String saleId, long amountFen) {
            outcomes.computeIfAbsent(saleId, k -> new CompletableFuture<>());
            display.show(new Screen.Amount(statusBar(), amountFen));
        }

        @Override
        public void outcome(SaleOutcome o) {
            if (o.approved()) {
                feedback.approved();
                display.show(new Screen.Approved(statusBar(), o.holder(), o.amountFen(), o.balanceAfterFen()));
                if (sync != null) {
                    sync.wake();
                }
            } else {
                feedback.declined();
                display.show(new Screen.Declined(statusBar(), o.reason().message()));
                if (sync != null && o.seq() == 0) {
                    sync.wake();
                }
            }
            log.info("sale {} {} {} fen card {} account {} {}{} balance {} fen seq {} decided in {} us",
                    o.saleId(), o.approved() ? "APPROVED" : "DECLINED", o.amountFen(), o.uidHex(), o.accountId(),
                    o.mode(), o.approved() ? "" : " reason " + o.reasonCode(), o.balanceAfterFen(), o.seq(), o.decisionMicros());
            lastOutcome = o;
            outcomes.computeIfAbsent(o.saleId(), k -> new CompletableFuture<>()).complete(o);
            if (outcomes.size() > 256) {
                outcomes.entrySet().removeIf(e -> e.getValue().isDone() && !e.getKey().equals(o.saleId()));
            }
        }

        @Override
        public void idle() {
            showIdle();
        }

        @Override
        public void showQr(String saleId, long amountFen, String payload, long secondsLeft) {
            outcomes.computeIfAbsent(saleId, k -> new CompletableFuture<>());
            display.show(new Screen.QrPayment(statusBar(), amountFen, payload, secondsLeft));
        }

        @Override
        public void qrClosed(String token, String saleId) {
            if (sync != null) {
                sync.cancelQr(token, saleId);
            }
        }

        @Override
        public void pinRequired(String saleId, long amountFen) {
            display.show(new Screen.Message(statusBar(), com.onecard.pos.display.Yuan.format(amountFen)
                    + ": please enter your card password on the keypad"));
        }

        @Override
        public void message(String text) {
            display.show(new Screen.Message(statusBar(), text));
        }
    }

    /**
     * After a power cut the last sale may have been committed (the student charged) without its
     * beep. Within the reversal window, the screen and status say so at start, so the cashier does
     * not charge again and can reverse it if the meal was not served.
     */
    private void recallLastSale() {
        var tail = store.tail(1);
        if (tail.isEmpty() || tail.get(0).getKind() != com.onecard.pos.sync.proto.RowKind.SALE) {
            return;
        }
        var r = tail.get(0);
        if (clock.millis() - r.getTimeMs() > cfg.sale().reversalWindow().toMillis()) {
            return;
        }
        String uid = java.util.HexFormat.of().withUpperCase().formatHex(r.getCardUid().toByteArray());
        String holder = store.accounts().accountById(r.getAccountId()).map(com.onecard.pos.terminal.store.Account::holder).orElse("");
        lastOutcome = new SaleOutcome(r.getSaleId(), true, null, r.getAmountFen(), uid, r.getAccountId(), holder, 0,
                r.getSeq(), r.getMode().name().toLowerCase(), r.getTimeMs(), 0);
        log.info("last sale before this start: {} seq {} {} fen card {} was approved and recorded", r.getSaleId(),
                r.getSeq(), r.getAmountFen(), uid);
        display.show(new Screen.Message(statusBar(), "Last sale before restart: " + com.onecard.pos.display.Yuan.format(r.getAmountFen())
                + " " + holder + " was PAID (" + r.getSaleId() + ")"));
    }

    void showIdle() {
        var p = flow.currentPeriod();
        String hint = p != null && p.priceFen() > 0 ? p.name() + " " + com.onecard.pos.display.Yuan.format(p.priceFen()) + ": tap card" : "please wait for the cashier";
        display.show(new Screen.Idle(statusBar(), cfg.terminal().merchantName(), hint));
    }

    StatusBar statusBar() {
        boolean online = sync != null && sync.status().connected();
        long unsynced = store.backlog().count();
        return new StatusBar(cfg.terminal().label(), online, unsynced, LocalTime.now(clock));
    }

    // ---- accessors for the control handler ----------------------------------------------------

    CompletableFuture<SaleOutcome> outcomeOf(String saleId) {
        return outcomes.computeIfAbsent(saleId, k -> new CompletableFuture<>());
    }

    SaleOutcome lastOutcome() {
        return lastOutcome;
    }

    ReaderStatus readerStatus() {
        return reader == null ? null : reader.status();
    }

    SyncStatus syncStatus() {
        return sync == null ? null : sync.status();
    }

    /** Uploads the center refused since start (gaps, bad MACs); 0 without a center. */
    long uploadRefusals() {
        return outbox == null ? 0 : outbox.refusals();
    }

    void syncNow() {
        if (sync != null) {
            sync.wake();
        }
    }

    Screen currentScreen() {
        return display.current();
    }

    @Override
    public void close() {
        log.info("terminal {} stopping", cfg.terminal().id());
        control.close();
        if (reader != null) {
            reader.close();
        }
        if (sync != null) {
            sync.close();
        }
        loop.close();
        display.close();
        feedback.close();
        outboxReader.close();
        store.close();
    }
}
