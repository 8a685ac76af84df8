package com.onecard.pos.terminal.app;

import com.onecard.pos.display.Screen;
import com.onecard.pos.display.ScreenRenderer;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.ReaderConfig;
import com.onecard.pos.reader.ReaderStatus;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.gpio.Feedback;
import com.onecard.pos.reader.gpio.Feedbacks;
import com.onecard.pos.reader.gpio.GpioException;
import com.onecard.pos.reader.keypad.EvdevKeypad;
import com.onecard.pos.reader.model.ReaderModels;
import com.onecard.pos.reader.scanner.ScannerReader;
import com.onecard.pos.terminal.control.ControlPeer;
import com.onecard.pos.terminal.sale.ScannedCodeConsumer;
import com.onecard.pos.terminal.sale.PaycodeCheck;
import com.onecard.pos.paycode.PaycodeVerifier;
import com.onecard.pos.reader.loop.ReaderLoop;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.sync.client.SyncClientConfig;
import com.onecard.pos.sync.client.SyncStatus;
import com.onecard.pos.terminal.config.ConfigLoader;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.journal.HmacJournalSealer;
import com.onecard.pos.terminal.journal.JournalSealer;
import com.onecard.pos.terminal.sale.QrIssuer;
import com.onecard.pos.terminal.sale.SaleFlow;
import com.onecard.pos.terminal.sale.SaleOutcome;
import com.onecard.pos.terminal.journal.HmacJournalSealer;
import com.onecard.pos.terminal.store.CardTicketReader;
import com.onecard.pos.terminal.store.JournalVerifier;
import com.onecard.pos.terminal.store.OutboxReader;
import com.onecard.pos.terminal.token.TerminalKeys;
import com.onecard.pos.terminal.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The composition root: builds the daemon's parts (store, terminal thread, sale flow, reader
 * loop, sync client, display, buzzer/LEDs, control socket), hands them to each other, starts
 * and stops them. Behaviour lives in the parts.
 */
public final class TerminalApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TerminalApp.class);

    final Clock clock;
    final Instant startedAt;
    final Store store;
    final TerminalLoop loop;
    final SaleFlow flow;
    final ConfigApplier config;
    final AuditTrail audit;
    final CampusCard campusCard;
    private final CardTicketReader cardTickets;
    private final TerminalKeys keys;
    final ChainCheck chainCheck;
    private final OutboxReader outboxReader;
    private final Display display;
    private final Screens screens;
    private final Feedback feedback;
    private final ReaderEvents readerEvents;
    private final ReaderLoop reader;
    private final ScannerReader scanner;
    private final UnrecognisedCodes unrecognisedCodes;
    private final EvdevKeypad keypad;
    private final SyncClient sync;
    private final StoreOutbox outbox;
    private final SaleOutcomes outcomes = new SaleOutcomes();
    private final com.onecard.pos.terminal.control.ControlServer control;

    private TerminalApp(TerminalConfig cfg, TerminalKeys keys, Clock clock, ScreenRenderer renderer) throws IOException, GpioException {
        this.clock = clock;
        this.startedAt = clock.instant();
        this.config = new ConfigApplier(cfg);
        this.keys = keys;
        MDC.put("terminal", cfg.terminal().id());
        // first: a buzzer that cannot sound stops the start before anything is opened
        this.feedback = Feedbacks.create(cfg.gpio().platform(), cfg.gpio().buzzerPin(), cfg.gpio().greenPin(), cfg.gpio().redPin());
        Path db = cfg.terminal().dataDir().resolve("terminal.db");
        JournalSealer sealer = new HmacJournalSealer(keys.journalMac());
        this.store = Store.open(db, sealer, clock.getZone());
        var anchored = store.checkAnchor();
        if (anchored.isPresent()) {
            store.close();
            throw new com.onecard.pos.terminal.store.StoreException(com.onecard.pos.terminal.store.StoreException.Kind.TAMPERED,
                    anchored.get() + "; the daemon will not run on this journal. Keep the files for the card center and see"
                    + " docs/operations.md", null);
        }
        var check = store.verifyFromCheckpoint();
        if (!check.ok()) {
            store.close();
            throw new com.onecard.pos.terminal.store.StoreException(com.onecard.pos.terminal.store.StoreException.Kind.TAMPERED,
                    "journal " + db + " failed verification: " + check.problem()
                    + "; the daemon will not run on a tampered journal. Keep the file for the card center and see docs/operations.md", null);
        }
        this.cardTickets = new CardTicketReader(db);
        this.campusCard = keys.cardKeyA() == null ? null : new CampusCard(keys.cardKeyA(), keys.issuerKeys(), cardTickets);
        if (campusCard == null && cfg.reader().requireCredential() && !cfg.reader().driver().equals("none")) {
            store.close();
            throw new IOException("reader.require-credential=true needs card.issuer-public-keys (and the token's key "
                    + com.onecard.pos.terminal.token.KeyToken.CARD_KEY_A + ") to check campus cards");
        }
        this.audit = new AuditTrail(store, clock);
        this.loop = new TerminalLoop(cfg.terminal().id());
        this.chainCheck = new ChainCheck(new JournalVerifier(db, sealer), store, loop, clock, cfg.terminal().id(), check);
        this.outboxReader = new OutboxReader(db);
        this.display = new Display(renderer);
        DownstreamRouter router = new DownstreamRouter(store, loop, config);
        if (cfg.center().host().isEmpty()) {
            this.outbox = null;
            this.sync = null;
        } else {
            this.outbox = new StoreOutbox(outboxReader, store, loop, clock);
            this.sync = new SyncClient(syncConfig(cfg, keys), outbox, router, clock);
        }
        this.screens = new Screens(display, store, sync, config::current, clock, this::cardReaderUnavailable);
        var effects = new SaleEffects(feedback, screens, sync, outcomes, this::currentPeriod, loop::releaseBackground);
        this.flow = new SaleFlow(cfg, store, sync == null ? null : new CenterAuthorizer(sync), campusCard,
                new QrIssuer(cfg.terminal(), keys.qrMac()), effects, loop, clock);
        config.liveTarget(flow);
        router.bind(flow, screens);
        this.readerEvents = new ReaderEvents(loop, flow, clock, () -> {
            // only an idle screen follows the reader: a message (last sale before restart) stays
            if (flow.state() == SaleFlow.State.IDLE && screens.current() instanceof Screen.Idle) {
                screens.idle(flow.currentPeriod());
            }
        });
        flow.cardReader(this::cardReaderUnavailable);
        this.reader = cfg.reader().driver().equals("none") ? null
                : new ReaderLoop(new ReaderConfig(cfg.reader().driver(), cfg.reader().port(), cfg.reader().baud(), campusCard),
                readerEvents, clock);
        this.unrecognisedCodes = new UnrecognisedCodes(screens::message, () -> flow.state() == SaleFlow.State.IDLE);
        flow.acceptPaycodes(new PaycodeCheck(store, new PaycodeVerifier(PaycodeVerifier.Window.DEFAULT),
                sync == null ? () -> 0L : () -> sync.status().clockOffsetMs(), clock));
        ScannedCodeConsumer codes = new PaycodeScans(flow, unrecognisedCodes);
        this.scanner = cfg.scanner().driver().equals(ReaderModels.NONE) ? null
                : ReaderModels.registry().codeScanner(cfg.scanner().driver()).reader(cfg.scanner().port(), cfg.scanner().baud(),
                new ScannerEvents(loop, clock, codes));
        this.keypad = cfg.keypad().device() == null ? null
                : new EvdevKeypad(cfg.keypad().device(), new KeypadEvents(loop, new KeypadEntry(new FlowDesk(flow),
                new KeypadEntry.Echo() {
                    @Override
                    public void show(String text) {
                        screens.message(text);
                    }

                    @Override
                    public void audit(String command, String detail, String outcome) {
                        audit.record(ControlPeer.KEYPAD, command, detail, outcome);
                    }
                })));
        this.control = new com.onecard.pos.terminal.control.ControlServer(cfg.control().socket(), cfg.control().group(),
                new TerminalControl(this));
    }

    private static SyncClientConfig syncConfig(TerminalConfig cfg, TerminalKeys keys) {
        return new SyncClientConfig(cfg.center().host(), cfg.center().port(), cfg.terminal().id(), Version.get(),
                cfg.center().caCert(), cfg.center().cert(), cfg.center().key(), cfg.center().heartbeat(),
                cfg.center().batchMaxRows(), cfg.center().batchLinger(), keys.tls());
    }

    /**
     * Builds and starts every part; returns when the terminal is ready for sales.
     *
     * @param keys the terminal's keys, from its key token ({@link TerminalKeys#fromToken})
     * @throws GpioException the buzzer and LEDs cannot be driven as configured (gpio.platform):
     *                       a configuration fault, named with the chip and line
     */
    public static TerminalApp start(TerminalConfig cfg, TerminalKeys keys, Clock clock, ScreenRenderer renderer)
            throws IOException, GpioException {
        log.info("starting terminal {} firmware {}; effective configuration:\n{}", cfg.terminal().id(), Version.get(),
                ConfigLoader.describe(cfg));
        TerminalApp app = new TerminalApp(cfg, keys, clock, renderer);
        app.loop.every(Duration.ofMillis(200), app.flow::tick);
        app.chainCheck.start();
        new Retention(app.store, app.loop, app.config::current, clock).start();
        if (app.sync != null) {
            app.sync.reportHealth(app::health);
            app.sync.start();
        }
        if (app.reader != null) {
            app.reader.start();
        }
        if (app.scanner != null) {
            app.scanner.start();
        }
        if (app.keypad != null) {
            app.keypad.start();
        }
        app.loop.execute(() -> app.screens.idle(app.flow.currentPeriod()));
        app.loop.execute(() -> LastSaleRecall.recall(app.store, cfg.sale().reversalWindow(), clock, app.outcomes, app.screens));
        if (cfg.control().stdinKeypad()) {
            StdinKeypad.start(app, System.in);
        }
        var b = app.loop.call(app.store::backlog).join();
        log.info("terminal {} ready: {} accounts cached, {} blacklisted, backlog {} rows, journal at seq {}",
                cfg.terminal().id(), app.store.accounts().accountCount(), app.store.accounts().blacklistCount(), b.count(), b.lastSeq());
        return app;
    }

    /** Why no card can be read now, or null: a card sale is not started on a reader that cannot read. */
    private String cardReaderUnavailable() {
        if (reader == null) {
            return "this window has no card reader (reader.driver=none)";
        }
        ReaderStatus st = reader.status();
        if (st.state() == com.onecard.pos.reader.ReaderState.DISCONNECTED) {
            return "the card reader on " + st.port() + " is DISCONNECTED" + (st.lastError().isEmpty() ? "" : " (" + st.lastError() + ")");
        }
        return null;
    }

    private com.onecard.pos.terminal.config.MealPeriod currentPeriod() {
        return flow.currentPeriod();
    }

    // ---- accessors for the control handler ----------------------------------------------------

    TerminalConfig cfg() {
        return config.current();
    }

    CompletableFuture<CardTap> captureNextTap() {
        return readerEvents.captureNextTap();
    }

    java.util.Optional<CompletableFuture<SaleOutcome>> outcomeOf(String saleId) {
        return outcomes.awaitable(saleId);
    }

    SaleOutcome lastOutcome() {
        return outcomes.last();
    }

    /** This terminal's backlog and reader state for the center's fleet page; on the sync client's outbox thread. */
    private com.onecard.pos.sync.TerminalHealth health() {
        OutboxReader.Unsent b = outboxReader.unsent(outbox.lastAcknowledged(), clock.millis());
        ReaderStatus r = readerStatus();
        return new com.onecard.pos.sync.TerminalHealth(b.count(), b.sumFen(), b.oldestAgeMs(),
                r == null ? com.onecard.pos.sync.TerminalHealth.NO_READER : r.state().name());
    }

    ReaderStatus readerStatus() {
        return reader == null ? null : reader.status();
    }

    /** The scanner, or null when scanner.driver=none. */
    ScannerReader scanner() {
        return scanner;
    }

    /** Scanned codes no consumer took as a payment code, since start. */
    long unrecognisedCodes() {
        return unrecognisedCodes.count();
    }

    /** The keypad, or null when keypad.device is empty. */
    EvdevKeypad keypad() {
        return keypad;
    }

    Feedback feedback() {
        return feedback;
    }

    SyncStatus syncStatus() {
        return sync == null ? null : sync.status();
    }

    /** Uploads the center refused since start (gaps, bad MACs); 0 without a center. */
    long uploadRefusals() {
        return outbox == null ? 0 : outbox.refusals();
    }

    /** Journal rows the center acknowledged but refused to apply, since start. */
    long rowRefusals() {
        return outbox == null ? 0 : outbox.rowRefusals();
    }

    void syncNow() {
        if (sync != null) {
            sync.wake();
        }
    }

    /** Check values of the token's keys, each computed in the token now (selftest: the keys are there and answer). */
    java.util.Map<String, String> keyCheckValues() {
        return keys.checkValues();
    }

    com.onecard.pos.terminal.control.ControlServer.Stats controlStats() {
        return control.stats();
    }

    Screen currentScreen() {
        return screens.current();
    }

    @Override
    public void close() {
        log.info("terminal {} stopping", cfg().terminal().id());
        control.close();
        if (reader != null) {
            reader.close();
        }
        if (scanner != null) {
            scanner.close();
        }
        if (keypad != null) {
            keypad.close();
        }
        if (sync != null) {
            sync.close();
        }
        loop.close();
        chainCheck.close();
        display.close();
        feedback.close();
        outboxReader.close();
        cardTickets.close();
        store.close();
    }
}
