package com.onecard.pos.terminal.sale;

import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.terminal.auth.AuthRequestFacts;
import com.onecard.pos.terminal.auth.Authorizer;
import com.onecard.pos.terminal.auth.Decision;
import com.onecard.pos.terminal.auth.DeclineReason;
import com.onecard.pos.terminal.config.MealPeriod;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.journal.Journal;
import com.onecard.pos.terminal.journal.Journal.Commit;
import com.onecard.pos.terminal.journal.JournalEntry;
import com.onecard.pos.terminal.journal.JournalEntry.Mode;
import com.onecard.pos.terminal.store.Account;
import com.onecard.pos.terminal.store.Purses;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The sale state machine: idle → waiting for card → authorizing → approved/declined → idle.
 * Every method runs on the terminal thread, which owns this object, the store and every
 * database write; the online answer comes back as a posted event. A sale is approved only
 * after its journal row is committed.
 */
public final class SaleFlow {
    private static final Logger log = LoggerFactory.getLogger(SaleFlow.class);

    public enum State { IDLE, WAIT_CARD, WAIT_PIN, AUTHORIZING, WAIT_QR }

    /** Sale numbers are reserved in blocks, with the decisions' own commits, so a sale id costs no fsync of its own. */
    private static final long SALE_NUMBER_BLOCK = 100;

    private TerminalConfig cfg;
    private final Store store;
    private final Journal journal;
    private Authorizer authorizer;
    private final OnlineAuthorizer online;
    private final QrIssuer qrIssuer;
    private final SaleFacts gatherer;
    private final SaleSignals signals;
    private final Executor loop;
    private final Clock clock;
    private final ZoneId zone;

    private State state = State.IDLE;
    /** Why a card cannot be taken now (reader disconnected or absent), or null when it can. */
    private java.util.function.Supplier<String> readerUnavailable = () -> null;
    private String saleId;
    private long amountFen;
    private long deadlineMs;
    private CardTap pendingTap;
    /** When the reader reported the tap being decided. */
    private Instant tapReportedAt;
    /** The facts of the tap waiting for the center's answer, gathered and screened once. */
    private AuthRequestFacts pendingFacts;
    private String pendingPin;
    private long saleCounter;
    private long saleNumbersReserved;
    private QrIssuer.Issued qr;
    private long qrSecondsShown = -1;
    /**
     * The online authorization asked for when the card answered, before its sectors were read
     * ({@link #onCardSeen}); taken by the tap that follows, released when the sale ends without it.
     */
    private Early earlyAsk;

    private record Early(String saleId, byte[] uid, long accountId, long amountFen,
                         java.util.concurrent.CompletableFuture<OnlineAuthorizer.Answer> answer) {
    }

    /** Null until the daemon enables payment codes (it has the center's clock offset). */
    private PaycodeCheck paycodes;

    public SaleFlow(TerminalConfig cfg, Store store, OnlineAuthorizer online, CampusCard campusCard, QrIssuer qrIssuer,
                    SaleSignals signals, Executor loop, Clock clock) {
        this(cfg, store, store.journal(), online, campusCard, qrIssuer, signals, loop, clock);
    }

    /** With the journal port given (the store's own, or one that also records what it commits). */
    public SaleFlow(TerminalConfig cfg, Store store, Journal journal, OnlineAuthorizer online, CampusCard campusCard,
                    QrIssuer qrIssuer, SaleSignals signals, Executor loop, Clock clock) {
        this.qrIssuer = qrIssuer;
        this.gatherer = new SaleFacts(store, campusCard, clock, () -> this.cfg.auth().pinLock());
        this.cfg = cfg;
        this.store = store;
        this.journal = journal;
        this.authorizer = new Authorizer(cfg.auth());
        this.online = online;
        this.signals = signals;
        this.loop = loop;
        this.clock = clock;
        this.zone = clock.getZone();
        // numbers up to the reservation may have been shown before a restart: start above it
        this.saleNumbersReserved = journal.saleNumbersReserved();
        this.saleCounter = saleNumbersReserved;
    }

    /** Takes new authorization, sale and pricing settings; they apply from the next sale. */
    public void reconfigure(TerminalConfig next) {
        this.cfg = next;
        this.authorizer = new Authorizer(next.auth());
    }

    /** Layout-1 cards seen since start. */
    public CardLayoutCounts cardLayoutCounts() {
        return gatherer.layoutCounts();
    }

    public State state() {
        return state;
    }

    /**
     * Tells the flow whether the card reader can take a card: the supplier returns why not
     * (e.g. "the card reader on /dev/ttyUSB0 is DISCONNECTED: ...") or null. A card sale is not
     * started while it says why not, so no student is asked to tap a reader that cannot read.
     */
    public void cardReader(java.util.function.Supplier<String> unavailable) {
        this.readerUnavailable = unavailable;
    }

    /** The amount of the sale in progress (the meal price when it was started with 0), fen; 0 when idle. */
    public long currentAmountFen() {
        return amountFen;
    }

    public String currentSaleId() {
        return saleId;
    }

    /**
     * Starts a card sale for {@code amountFen}, or for the current meal period's fixed price when 0.
     *
     * @return the new sale id
     * @throws IllegalStateException when a sale is already in progress, no price applies, or the
     *                               card reader cannot take a card (the message says which and
     *                               offers the QR code)
     */
    public String begin(long amountFen, String pin) {
        String noReader = readerUnavailable.get();
        if (noReader != null && state == State.IDLE) {
            throw new IllegalStateException(noReader + (online != null && online.connected()
                    ? "; take this sale by QR code (posctl sale --qr), and see posctl status"
                    : "; QR payment is not possible either while the card center cannot be reached; see posctl status"));
        }
        return start(amountFen, pin);
    }

    private String start(long amountFen, String pin) {
        long amount = resolveAmount(amountFen);
        saleId = nextSaleId();
        this.amountFen = amount;
        this.pendingPin = pin;
        state = State.WAIT_CARD;
        deadlineMs = clock.millis() + cfg.sale().cardTimeout().toMillis();
        signals.waitingForCard(saleId, amount);
        return saleId;
    }

    /**
     * The amount of menu items keyed by number (a number may repeat: two bowls of rice).
     *
     * @throws IllegalArgumentException naming the first number not on the menu
     */
    public long menuTotal(java.util.List<Integer> numbers) {
        if (numbers.isEmpty()) {
            throw new IllegalArgumentException("no menu items given");
        }
        long total = 0;
        for (int n : numbers) {
            total += cfg.sale().menu().stream().filter(m -> m.number() == n).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("menu item " + n + " is not on this terminal's menu"))
                    .priceFen();
        }
        return total;
    }

    /**
     * Starts a scan-to-pay sale: shows a single-use payment code for the amount until the center
     * reports it paid, the cashier cancels, or it expires.
     */
    public String beginQr(long amountFen) {
        if (qrIssuer == null) {
            throw new IllegalStateException("QR payment is not available on this terminal (no terminal secret)");
        }
        if (online == null || !online.connected()) {
            // the app pays at the center; a terminal that cannot hear the center would take the money and wait
            throw new IllegalStateException("QR payment needs the card center, and "
                    + (online == null ? "this terminal has none (center.host is empty)" : "it cannot be reached now")
                    + ": take the card instead");
        }
        long amount = resolveAmount(amountFen);
        var now = clock.instant();
        // the code first: a code that cannot be made must not use up a sale number
        String id = cfg.terminal().id() + "-" + (saleCounter + 1);
        QrIssuer.Issued issued;
        try {
            issued = qrIssuer.issue(id, amount, now, now.plus(cfg.sale().qrLifetime()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot show a payment code: " + e.getMessage(), e);
        }
        saleId = nextSaleId();
        this.amountFen = amount;
        qr = issued;
        state = State.WAIT_QR;
        qrSecondsShown = -1;
        showQrCountdown();
        return saleId;
    }

    private void showQrCountdown() {
        long left = Math.max(0, (qr.expiresAt().toEpochMilli() - clock.millis() + 999) / 1000);
        if (left != qrSecondsShown) {
            qrSecondsShown = left;
            signals.showQr(saleId, amountFen, qr.payload(), left);
        }
    }

    /** The center reports a payment code paid. Runs on the terminal thread. */
    public void onQrPaid(QrPaid n) {
        long started = System.nanoTime();
        if (journal.qrTokenJournaled(n.token())) {
            log.debug("QR notice for token {} already journaled; repeat ignored", n.token());
            return;
        }
        boolean current = state == State.WAIT_QR && qr != null && qr.token().equals(n.token());
        JournalEntry paid = JournalEntry.qrSale(n.saleId(), clock.millis(), n.accountId(), n.amountFen(), n.token(), periodName());
        JournalEntry stored;
        try {
            if (!current) {
                // Paid after the terminal gave up on the code (cancel or expiry crossed the payment):
                // the student got nothing, so the money goes back at once with a compensating row,
                // committed with the sale itself.
                var both = commit(Commit.of(paid, paid.refundInSameCommit()));
                JournalEntry refund = both.get(1);
                log.warn("QR payment {} for sale {} arrived after the code was closed; refunded by seq {}",
                        n.token(), n.saleId(), refund.seq());
                signals.message("QR payment arrived after cancel; " + com.onecard.pos.display.Yuan.format(n.amountFen())
                        + " refunded to " + n.holderName());
                return;
            }
            stored = commit(Commit.of(paid)).get(0);
        } catch (StoreException e) {
            log.error("QR sale {}: journal write failed ({}); the center holds the payment", n.saleId(), e.getMessage());
            if (current) {
                finishDecline(null, null, DeclineReason.STORAGE_FAULT, "qr");
            }
            return;
        }
        SaleOutcome o = new SaleOutcome(saleId, true, null, n.amountFen(), "", n.accountId(), n.holderName(),
                n.balanceAfterFen(), stored.seq(), "qr", clock.millis(), (System.nanoTime() - started) / 1000);
        reset();
        signals.outcome(o);
    }

    private String periodName() {
        MealPeriod p = currentPeriod();
        return p == null ? "" : p.name();
    }

    private long resolveAmount(long amountFen) {
        if (state != State.IDLE) {
            throw new IllegalStateException("sale " + saleId + " is in progress; cancel it first");
        }
        long amount = amountFen;
        if (amount == 0) {
            MealPeriod p = currentPeriod();
            if (p == null || p.priceFen() == 0) {
                throw new IllegalStateException("no fixed meal price applies now; enter an amount");
            }
            amount = p.priceFen();
        }
        if (amount < 1 || amount > 100_000_00L) {
            throw new IllegalArgumentException("amount must be between 1 and 10000000 fen, got " + amount);
        }
        return amount;
    }

    public void cancel() {
        if (state == State.IDLE) {
            return;
        }
        if (state == State.WAIT_QR) {
            signals.qrClosed(qr.token(), saleId);
        }
        log.info("sale {} cancelled by cashier", saleId);
        reset();
        signals.idle();
    }

    /** A card arrived. With no sale open, a fixed meal price (if any) starts one. */
    public void onTap(CardTap tap) {
        onTap(tap, tap.at());
    }

    /**
     * A card arrived; the reader reported it at {@code reportedAt} (its campus sector read by
     * then). The sale's decision time ({@link SaleOutcome#decisionMicros}) counts from there: the
     * terminal's own share of a tap, including any wait for the terminal thread.
     */
    public void onTap(CardTap tap, Instant reportedAt) {
        tapReportedAt = reportedAt;
        if (state == State.IDLE) {
            MealPeriod p = currentPeriod();
            if (p == null || p.priceFen() == 0) {
                log.debug("tap {} ignored: no sale open and no fixed price", tap.uidHex());
                return;
            }
            start(0, null);
        }
        if (state != State.WAIT_CARD) {
            log.debug("tap {} ignored: sale {} is {}", tap.uidHex(), saleId, state);
            return;
        }
        authorize(tap);
    }

    /**
     * A card answered the reader, which is reading its sectors now (≈ 10 ms of serial line and RF
     * on a PN532 at 115,200 baud); its tap follows. When the sale waiting for a card will ask the
     * center, the center is asked now, for the account this terminal holds for that UID, so that
     * its answer (a durable hold at the center) comes back while the sectors are read. The tap then
     * takes that answer if it is for the same card, account and amount and no card password has to
     * go with it; in any other case the early hold is released when the sale ends. Nothing is
     * decided here: the tap is screened as always, and a hold is never a debit (the uploaded sale
     * consumes it, a release or its expiry frees it).
     */
    public void onCardSeen(byte[] uid) {
        if (state != State.WAIT_CARD || earlyAsk != null || pendingPin != null || !centerCanBeAsked()) {
            return;
        }
        long pinAbove = cfg.auth().pinSaleThresholdFen();
        if (pinAbove > 0 && amountFen >= pinAbove) {
            return; // the card password goes with the request: the center is asked after it is typed
        }
        Account a = store.accounts().accountByUid(uid).orElse(null);
        if (a == null || store.accounts().blacklisted(uid)) {
            return; // the tap declines it; the center need not be asked
        }
        var req = new OnlineAuthorizer.Request(saleId, uid, a.accountId(), amountFen, clock.millis());
        earlyAsk = new Early(saleId, uid.clone(), a.accountId(), amountFen, online.authorize(req, cfg.auth().onlineDeadline()));
    }

    /**
     * The card password typed on the keypad for the sale waiting for it.
     *
     * @throws IllegalStateException when no sale is waiting for a password
     */
    public void enterPin(String pin) {
        if (state != State.WAIT_PIN) {
            throw new IllegalStateException("no sale is waiting for a card password");
        }
        if (pin == null || !pin.matches("[0-9]{4,8}")) {
            throw new IllegalArgumentException("a card password is 4 to 8 digits");
        }
        pendingPin = pin;
        state = State.WAIT_CARD;
        authorize(pendingTap);
    }

    /** Accepts payment codes (支付码) from now on, checked by {@code check}. */
    public void acceptPaycodes(PaycodeCheck check) {
        this.paycodes = check;
    }

    /** True when payment codes are accepted. */
    public boolean acceptsPaycodes() {
        return paycodes != null;
    }

    /**
     * A payment code was scanned (the scanner delivered it at {@code scan.at()}): like a card
     * tap, it pays the open sale (or starts one at the fixed meal price), decided offline here:
     * the code's own checks ({@link PaycodeCheck}), then the account's screening, offline caps and
     * funds. Approved only after the PAYCODE_SALE row and the replay-cache entry are committed
     * together. Terminal thread.
     */
    public void onPaycode(ScannedCode scan) {
        if (paycodes == null) {
            throw new IllegalStateException("payment codes are not accepted on this terminal");
        }
        if (state == State.IDLE) {
            MealPeriod p = currentPeriod();
            if (p == null || p.priceFen() == 0) {
                log.info("payment code scanned with no sale open and no fixed price; the cashier enters the amount first");
                signals.message("请先输入金额 / the cashier enters the amount first");
                return;
            }
            begin(0, null);
        }
        if (state != State.WAIT_CARD) {
            log.debug("payment code ignored: sale {} is {}", saleId, state);
            return;
        }
        PaycodeCheck.Result r = paycodes.check(scan.text(), amountFen, currentPeriod());
        if (r.reason() != null) {
            log.debug("sale {}: payment code refused: {}", saleId, r.detail());
            finishPaycodeDecline(r.facts(), r.code() == null ? 0 : r.code().certificate().accountId(), r.reason(), scan);
            return;
        }
        AuthRequestFacts facts = r.facts();
        DeclineReason early = authorizer.screen(facts);
        if (early != null) {
            finishPaycodeDecline(facts, r.code().certificate().accountId(), switch (early) {
                case UNKNOWN_CARD -> DeclineReason.PAYCODE_UNKNOWN_ACCOUNT;
                // the code carries no card password: an amount that needs one is paid by card
                case PIN_REQUIRED, PIN_WRONG, PIN_LOCKED -> DeclineReason.PAYCODE_PASSWORD_AMOUNT;
                default -> early;
            }, scan);
            return;
        }
        Decision d = authorizer.offlineAfterScreen(facts);
        if (!d.approved()) {
            finishPaycodeDecline(facts, facts.account().accountId(), d.reason(), scan);
            return;
        }
        Account a = facts.account();
        JournalEntry stored;
        try {
            stored = commit(Commit.of(JournalEntry.paycodeSale(saleId, clock.millis(), a.accountId(), amountFen,
                    d.debit().subsidyFen(), d.debit().cashFen(), scan.text(), periodName()))).get(0);
        } catch (StoreException e) {
            log.error("sale {}: journal write failed ({}), payment code refused", saleId, e.getMessage());
            finishPaycodeDecline(facts, a.accountId(), DeclineReason.STORAGE_FAULT, scan);
            return;
        }
        SaleOutcome o = new SaleOutcome(saleId, true, null, amountFen, "", a.accountId(), a.holder(),
                d.balanceAfter().total(), stored.seq(), "paycode", clock.millis(), micros(scan.at()));
        reset();
        signals.outcome(o);
    }

    private void finishPaycodeDecline(AuthRequestFacts facts, long accountId, DeclineReason reason, ScannedCode scan) {
        Account a = facts == null ? null : facts.account();
        long now = clock.millis();
        try {
            commit(Commit.of().withDecline(new Journal.Decline(now, saleId, new byte[0], accountId, amountFen,
                    reason.name(), periodName())));
        } catch (StoreException e) {
            log.error("sale {}: could not record decline {} ({})", saleId, reason, e.getMessage());
        }
        SaleOutcome o = new SaleOutcome(saleId, false, reason, amountFen, "", accountId, a == null ? "" : a.holder(),
                0, 0, "paycode", clock.millis(), micros(scan.at()));
        reset();
        signals.outcome(o);
    }

    private long micros(Instant from) {
        return Math.max(0, java.time.Duration.between(from, clock.instant()).toNanos() / 1000);
    }

    /** Timers: a sale waiting too long for a card times out. */
    public void tick() {
        if ((state == State.WAIT_CARD || state == State.WAIT_PIN) && clock.millis() > deadlineMs) {
            finishDecline(null, null, DeclineReason.TIMEOUT, "");
        } else if (state == State.WAIT_QR) {
            if (online == null || !online.connected()) {
                // the center's paid notice could not arrive: stop offering the code
                signals.qrClosed(qr.token(), saleId);
                finishDecline(null, null, DeclineReason.CENTER_UNREACHABLE, "qr");
            } else if (clock.millis() >= qr.expiresAt().toEpochMilli()) {
                signals.qrClosed(qr.token(), saleId);
                finishDecline(null, null, DeclineReason.QR_EXPIRED, "qr");
            } else {
                showQrCountdown();
            }
        }
    }

    /** Whether this sale can be authorized online now (mode and link). */
    private boolean centerCanBeAsked() {
        return cfg.auth().mode() != com.onecard.pos.terminal.config.AuthMode.OFFLINE_ONLY && online != null && online.connected();
    }

    private void authorize(CardTap tap) {
        pendingTap = tap;
        AuthRequestFacts facts = gatherer.gather(tap, amountFen, pendingPin, currentPeriod(), cfg.reader().requireCredential(),
                cfg.cards().v1AcceptedUntil());
        DeclineReason early = authorizer.screen(facts);
        if (early == DeclineReason.PIN_REQUIRED && !centerCanBeAsked()) {
            // only the center can check a card password: do not ask for one it cannot check
            finishDecline(tap, facts, DeclineReason.PIN_NEEDS_CENTER, "offline");
            return;
        }
        if (early == DeclineReason.PIN_REQUIRED) {
            // keep the tap: the student types the card password on the keypad, then we go on
            state = State.WAIT_PIN;
            deadlineMs = clock.millis() + cfg.sale().cardTimeout().toMillis();
            signals.pinRequired(saleId, amountFen);
            return;
        }
        if (early != null) {
            finishDecline(tap, facts, early, "offline");
            return;
        }
        boolean ask = switch (cfg.auth().mode()) {
            case OFFLINE_ONLY -> false;
            case PREFER_ONLINE -> online != null && online.connected();
            case ONLINE_ONLY -> true;
        };
        if (!ask) {
            finish(tap, facts, authorizer.offlineAfterScreen(facts), Mode.OFFLINE);
            return;
        }
        if (online == null || !online.connected()) {
            finishDecline(tap, facts, DeclineReason.CENTER_UNREACHABLE, "online");
            return;
        }
        state = State.AUTHORIZING;
        pendingFacts = facts;
        String id = saleId;
        // the typed card password goes to the center, the only one that can check it
        String pin = authorizer.needsPin(facts) ? pendingPin : null;
        Early e = earlyAsk;
        java.util.concurrent.CompletableFuture<OnlineAuthorizer.Answer> answer;
        if (e != null && e.saleId().equals(id) && java.util.Arrays.equals(e.uid(), tap.uid())
                && e.accountId() == facts.account().accountId() && e.amountFen() == amountFen && pin == null) {
            earlyAsk = null;
            answer = e.answer(); // asked when the card answered, while its sectors were read
        } else if (e != null && (e.accountId() != facts.account().accountId() || !java.util.Arrays.equals(e.uid(), tap.uid()))) {
            // the center holds this sale id for another card or account: it cannot be asked again for
            // this one; the sale goes on as if the center were out of reach (released when it ends)
            log.info("sale {}: the early authorization was for another card or account; deciding without the center", id);
            answer = java.util.concurrent.CompletableFuture.failedFuture(
                    new IllegalStateException("early authorization for another card or account"));
        } else {
            // (a repeated request of a held sale replaces its hold at the center: a card password now goes with it)
            earlyAsk = null;
            var req = new OnlineAuthorizer.Request(id, tap.uid(), facts.account().accountId(), amountFen, clock.millis(), pin);
            answer = online.authorize(req, cfg.auth().onlineDeadline());
        }
        answer.whenComplete((resp, err) -> loop.execute(() -> onOnlineAnswer(id, resp, err)));
    }

    private void onOnlineAnswer(String id, OnlineAuthorizer.Answer resp, Throwable err) {
        if (state != State.AUTHORIZING || !id.equals(saleId)) {
            return;
        }
        CardTap tap = pendingTap;
        AuthRequestFacts facts = pendingFacts;
        // the facts were screened before asking; only a card listed meanwhile changes the answer
        boolean listedNow = store.accounts().blacklisted(tap.uid());
        if (err != null || resp == null) {
            if (cfg.auth().mode() == com.onecard.pos.terminal.config.AuthMode.ONLINE_ONLY) {
                finishDecline(tap, facts, DeclineReason.CENTER_UNREACHABLE, "online");
            } else if (listedNow) {
                finishDecline(tap, facts, DeclineReason.LOST, "offline");
            } else {
                log.debug("sale {}: center did not answer in time ({}), standing in offline", id, err == null ? "no answer" : err.toString());
                finish(tap, facts, authorizer.offlineAfterScreen(facts), Mode.OFFLINE);
            }
            return;
        }
        if (!resp.approved()) {
            finishDecline(tap, facts, resp.reason(), "online");
            return;
        }
        Purses overlay = store.overlay(facts.account().accountId(), resp.appliedSeq());
        Purses available = resp.centerPurses().minus(overlay);
        Decision d = authorizer.onlineAfterScreen(facts, listedNow, available);
        if (!d.approved()) {
            // The center approved and holds the amount; this terminal declines: release the hold.
            online.release(id);
        }
        finish(tap, facts, d, Mode.ONLINE);
    }

    private void finish(CardTap tap, AuthRequestFacts facts, Decision d, Mode mode) {
        String modeName = mode == Mode.ONLINE ? "online" : "offline";
        if (!d.approved()) {
            finishDecline(tap, facts, d.reason(), modeName);
            return;
        }
        Account a = facts.account();
        long now = clock.millis();
        Commit c = Commit.of(JournalEntry.sale(saleId, now, tap.uid(), a.accountId(), amountFen, d.debit().subsidyFen(),
                d.debit().cashFen(), mode, periodName()));
        if (pendingPin != null && facts.pinFailures() > 0) {
            c = c.withPinTries(new Journal.PinTries(a.accountId(), 0, now));
        }
        JournalEntry stored;
        try {
            stored = commit(c).get(0);
        } catch (StoreException e) {
            log.error("sale {}: journal write failed ({}), sale refused", saleId, e.getMessage());
            finishDecline(tap, facts, DeclineReason.STORAGE_FAULT, "");
            return;
        }
        Instant committed = clock.instant();
        SaleOutcome o = new SaleOutcome(saleId, true, null, amountFen, tap.uidHex(), a.accountId(), a.holder(),
                d.balanceAfter().total(), stored.seq(), modeName, committed.toEpochMilli(), micros(tap, committed),
                epochMicros(committed));
        reset();
        signals.outcome(o);
    }

    /** @param facts the tap's facts, or null when no card was read (timeout, expiry) or nothing may be written */
    private void finishDecline(CardTap tap, AuthRequestFacts facts, DeclineReason reason, String mode) {
        Account a = facts == null ? null : facts.account();
        long accountId = a == null ? 0 : a.accountId();
        String uidHex = tap == null ? "" : tap.uidHex();
        long now = clock.millis();
        byte[] uid = tap == null ? new byte[0] : tap.uid();
        Commit c = reason == DeclineReason.LOST && tap != null
                ? Commit.of(JournalEntry.sighting(saleId, now, uid, accountId)) : Commit.of();
        c = c.withDecline(new Journal.Decline(now, saleId, uid, accountId, amountFen, reason.name(), periodName()));
        if (reason == DeclineReason.PIN_WRONG && a != null) {
            c = c.withPinTries(new Journal.PinTries(a.accountId(), facts.pinFailures() + 1, now));
        }
        try {
            commit(c);
        } catch (StoreException e) {
            log.error("sale {}: could not record decline {} ({})", saleId, reason, e.getMessage());
        }
        Instant committed = clock.instant();
        SaleOutcome o = new SaleOutcome(saleId, false, reason, amountFen, uidHex, accountId, a == null ? "" : a.holder(),
                0, 0, mode, committed.toEpochMilli(), tap == null ? 0 : micros(tap, committed),
                tap == null ? 0 : epochMicros(committed));
        reset();
        signals.outcome(o);
    }

    /** Commits a decision, topping up the sale-number reservation in the same transaction when it runs low. */
    private List<JournalEntry> commit(Commit c) {
        if (saleNumbersReserved - saleCounter < SALE_NUMBER_BLOCK / 2) {
            c = c.withSaleNumbersUpTo(saleCounter + SALE_NUMBER_BLOCK);
        }
        List<JournalEntry> stored = journal.commit(c);
        saleNumbersReserved = Math.max(saleNumbersReserved, c.saleNumbersUpTo());
        return stored;
    }

    private long micros(CardTap tap, Instant committed) {
        Instant from = tapReportedAt == null ? tap.at() : tapReportedAt;
        return Math.max(0, java.time.Duration.between(from, committed).toNanos() / 1000);
    }

    private static long epochMicros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    private void reset() {
        Early e = earlyAsk;
        earlyAsk = null;
        if (e != null) {
            // asked when the card answered, never taken by a tap: the center's hold goes
            online.release(e.saleId());
        }
        state = State.IDLE;
        saleId = null;
        amountFen = 0;
        pendingTap = null;
        pendingFacts = null;
        pendingPin = null;
        qr = null;
    }

    private String nextSaleId() {
        saleCounter++;
        if (saleCounter > saleNumbersReserved) {
            // only after a start, or after a whole block of sales cancelled without a decision
            try {
                journal.commit(Commit.of().withSaleNumbersUpTo(saleCounter + SALE_NUMBER_BLOCK));
                saleNumbersReserved = saleCounter + SALE_NUMBER_BLOCK;
            } catch (StoreException e) {
                log.warn("could not reserve sale numbers: {}", e.getMessage());
            }
        }
        return cfg.terminal().id() + "-" + saleCounter;
    }

    /** The meal period the terminal's clock is in, or null. */
    public MealPeriod currentPeriod() {
        var t = LocalDateTime.ofInstant(clock.instant(), zone).toLocalTime();
        for (MealPeriod p : cfg.sale().periods()) {
            if (p.contains(t)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Reverses (冲正) this terminal's last sale, card, QR or payment code, if it is within the
     * reversal window and not reversed yet, by appending a compensating row: "undo the last sale"
     * never skips a QR sale to refund the card sale before it. A card or payment-code sale's money
     * returns to the purses it came from (at once in this terminal's overlay); a QR sale's returns
     * through the center when the row uploads. A reversed payment code stays used (its replay-cache
     * row is kept): the student shows a fresh code to pay again.
     *
     * @return the reversal row
     * @throws IllegalStateException naming why there is nothing to reverse
     */
    public JournalEntry reverseLast() {
        if (state != State.IDLE) {
            throw new IllegalStateException("sale " + saleId + " is in progress; finish or cancel it first");
        }
        List<JournalEntry> tail = journal.recent(50);
        for (int i = tail.size() - 1; i >= 0; i--) {
            JournalEntry r = tail.get(i);
            if (r.kind() == JournalEntry.Kind.REVERSAL) {
                throw new IllegalStateException("the last sale (seq " + r.reversesSeq() + ") is already reversed");
            }
            if (r.kind() != JournalEntry.Kind.SALE && r.kind() != JournalEntry.Kind.QR_SALE
                    && r.kind() != JournalEntry.Kind.PAYCODE_SALE) {
                continue;
            }
            long age = clock.millis() - r.timeMs();
            if (age > cfg.sale().reversalWindow().toMillis()) {
                throw new IllegalStateException("last sale " + r.saleId() + " is " + age / 1000
                        + " s old, beyond the reversal window of " + cfg.sale().reversalWindow().toSeconds() + " s");
            }
            JournalEntry rev = journal.commit(Commit.of(r.reversal(clock.millis(), Mode.OFFLINE))).get(0);
            log.info("sale {} seq {} reversed by seq {}: {} fen returned to account {}", r.saleId(), r.seq(),
                    rev.seq(), r.amountFen(), r.accountId());
            return rev;
        }
        throw new IllegalStateException("no sale to reverse");
    }

}
