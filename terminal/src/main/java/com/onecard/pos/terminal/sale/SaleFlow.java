package com.onecard.pos.terminal.sale;

import com.google.protobuf.ByteString;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.auth.AuthRequestFacts;
import com.onecard.pos.terminal.auth.Authorizer;
import com.onecard.pos.terminal.auth.Decision;
import com.onecard.pos.terminal.auth.DeclineReason;
import com.onecard.pos.terminal.config.MealPeriod;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.store.Account;
import com.onecard.pos.terminal.store.Purses;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
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

    private TerminalConfig cfg;
    private final Store store;
    private Authorizer authorizer;
    private final OnlineAuthorizer online;
    private final QrIssuer qrIssuer;
    private final SaleFacts gatherer;
    private final SaleSignals signals;
    private final Executor loop;
    private final Clock clock;
    private final ZoneId zone;

    private State state = State.IDLE;
    private String saleId;
    private long amountFen;
    private long deadlineMs;
    private CardTap pendingTap;
    private String pendingPin;
    private long saleCounter;
    private QrIssuer.Issued qr;
    private long qrSecondsShown = -1;

    public SaleFlow(TerminalConfig cfg, Store store, OnlineAuthorizer online, CampusCard campusCard, QrIssuer qrIssuer,
                    SaleSignals signals, Executor loop, Clock clock) {
        this.qrIssuer = qrIssuer;
        this.gatherer = new SaleFacts(store, campusCard, clock);
        this.cfg = cfg;
        this.store = store;
        this.authorizer = new Authorizer(cfg.auth());
        this.online = online;
        this.signals = signals;
        this.loop = loop;
        this.clock = clock;
        this.zone = clock.getZone();
        this.saleCounter = Long.parseLong(store.meta("sale_counter").orElse("0"));
    }

    /** Takes new authorization, sale and pricing settings; they apply from the next sale. */
    public void reconfigure(TerminalConfig next) {
        this.cfg = next;
        this.authorizer = new Authorizer(next.auth());
    }

    public State state() {
        return state;
    }

    public String currentSaleId() {
        return saleId;
    }

    /**
     * Starts a sale for {@code amountFen}, or for the current meal period's fixed price when 0.
     *
     * @return the new sale id
     * @throws IllegalStateException when a sale is already in progress or no price applies
     */
    public String begin(long amountFen, String pin) {
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
    public void onQrPaid(com.onecard.pos.sync.proto.QrPaidNotice n) {
        long started = System.nanoTime();
        if (store.qrTokenJournaled(n.getToken())) {
            log.debug("QR notice for token {} already journaled; repeat ignored", n.getToken());
            return;
        }
        boolean current = state == State.WAIT_QR && qr != null && qr.token().equals(n.getToken());
        JournalRow paid = JournalRow.newBuilder().setKind(RowKind.QR_SALE).setSaleId(n.getSaleId()).setTimeMs(clock.millis())
                .setAccountId(n.getAccountId()).setAmountFen(n.getAmountFen()).setCashFen(n.getAmountFen())
                .setMode(AuthMode.ONLINE).setQrToken(n.getToken()).setMealPeriod(periodName()).build();
        JournalRow stored;
        try {
            stored = store.append(paid);
            if (!current) {
                // Paid after the terminal gave up on the code (cancel or expiry crossed the payment):
                // the student got nothing, so the money goes back at once with a compensating row.
                JournalRow refund = store.append(paid.toBuilder().setKind(RowKind.REVERSAL).setSaleId(n.getSaleId() + "-R")
                        .setReversesSeq(stored.getSeq()).build());
                log.warn("QR payment {} for sale {} arrived after the code was closed; refunded by seq {}",
                        n.getToken(), n.getSaleId(), refund.getSeq());
                signals.message("QR payment arrived after cancel; " + com.onecard.pos.display.Yuan.format(n.getAmountFen())
                        + " refunded to " + n.getHolderName());
                return;
            }
        } catch (StoreException e) {
            log.error("QR sale {}: journal write failed ({}); the center holds the payment", n.getSaleId(), e.getMessage());
            if (current) {
                finishDecline(null, null, DeclineReason.STORAGE_FAULT, "qr");
            }
            return;
        }
        SaleOutcome o = new SaleOutcome(saleId, true, null, n.getAmountFen(), "", n.getAccountId(), n.getHolderName(),
                n.getBalanceAfterFen(), stored.getSeq(), "qr", clock.millis(), (System.nanoTime() - started) / 1000);
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
        if (state == State.IDLE) {
            MealPeriod p = currentPeriod();
            if (p == null || p.priceFen() == 0) {
                log.debug("tap {} ignored: no sale open and no fixed price", tap.uidHex());
                return;
            }
            begin(0, null);
        }
        if (state != State.WAIT_CARD) {
            log.debug("tap {} ignored: sale {} is {}", tap.uidHex(), saleId, state);
            return;
        }
        authorize(tap);
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

    /** Timers: a sale waiting too long for a card times out. */
    public void tick() {
        if ((state == State.WAIT_CARD || state == State.WAIT_PIN) && clock.millis() > deadlineMs) {
            finishDecline(null, null, DeclineReason.TIMEOUT, "");
        } else if (state == State.WAIT_QR) {
            if (clock.millis() >= qr.expiresAt().toEpochMilli()) {
                signals.qrClosed(qr.token(), saleId);
                finishDecline(null, null, DeclineReason.QR_EXPIRED, "qr");
            } else {
                showQrCountdown();
            }
        }
    }

    private void authorize(CardTap tap) {
        pendingTap = tap;
        AuthRequestFacts facts = gatherer.gather(tap, amountFen, pendingPin, currentPeriod(), cfg.reader().requireCredential());
        DeclineReason early = authorizer.screen(facts);
        if (early == DeclineReason.PIN_REQUIRED) {
            // keep the tap: the student types the card password on the keypad, then we go on
            state = State.WAIT_PIN;
            deadlineMs = clock.millis() + cfg.sale().cardTimeout().toMillis();
            signals.pinRequired(saleId, amountFen);
            return;
        }
        if (early != null) {
            finishDecline(tap, facts.account(), early, "offline");
            return;
        }
        boolean ask = switch (cfg.auth().mode()) {
            case OFFLINE_ONLY -> false;
            case PREFER_ONLINE -> online != null && online.connected();
            case ONLINE_ONLY -> true;
        };
        if (!ask) {
            finish(tap, facts, authorizer.decideOffline(facts), AuthMode.OFFLINE);
            return;
        }
        if (online == null || !online.connected()) {
            finishDecline(tap, facts.account(), DeclineReason.CENTER_UNREACHABLE, "online");
            return;
        }
        state = State.AUTHORIZING;
        String id = saleId;
        AuthRequest req = AuthRequest.newBuilder().setSaleId(id).setCardUid(ByteString.copyFrom(tap.uid()))
                .setAccountId(facts.account().accountId()).setAmountFen(amountFen).setTimeMs(clock.millis()).build();
        online.authorize(req, cfg.auth().onlineDeadline())
                .whenComplete((resp, err) -> loop.execute(() -> onOnlineAnswer(id, resp, err)));
    }

    private void onOnlineAnswer(String id, AuthResponse resp, Throwable err) {
        if (state != State.AUTHORIZING || !id.equals(saleId)) {
            return;
        }
        CardTap tap = pendingTap;
        AuthRequestFacts facts = gatherer.gather(tap, amountFen, pendingPin, currentPeriod(), cfg.reader().requireCredential());
        if (err != null || resp == null) {
            if (cfg.auth().mode() == com.onecard.pos.terminal.config.AuthMode.ONLINE_ONLY) {
                finishDecline(tap, facts.account(), DeclineReason.CENTER_UNREACHABLE, "online");
            } else {
                log.debug("sale {}: center did not answer in time ({}), standing in offline", id, err == null ? "no answer" : err.toString());
                finish(tap, facts, authorizer.decideOffline(facts), AuthMode.OFFLINE);
            }
            return;
        }
        if (!resp.getApproved()) {
            finishDecline(tap, facts.account(), centerReason(resp.getReason()), "online");
            return;
        }
        Purses overlay = store.overlay(facts.account().accountId(), resp.getAppliedSeq());
        Purses available = new Purses(resp.getSubsidyFen(), resp.getCashFen()).minus(overlay);
        finish(tap, facts, authorizer.decideOnline(facts, available), AuthMode.ONLINE);
    }

    private static DeclineReason centerReason(String code) {
        try {
            return DeclineReason.valueOf(code);
        } catch (IllegalArgumentException e) {
            return DeclineReason.INSUFFICIENT_FUNDS;
        }
    }


    private void finish(CardTap tap, AuthRequestFacts facts, Decision d, AuthMode mode) {
        if (!d.approved()) {
            finishDecline(tap, facts.account(), d.reason(), mode == AuthMode.ONLINE ? "online" : "offline");
            return;
        }
        Account a = facts.account();
        MealPeriod period = currentPeriod();
        JournalRow row = JournalRow.newBuilder().setKind(RowKind.SALE).setSaleId(saleId).setTimeMs(clock.millis())
                .setCardUid(ByteString.copyFrom(tap.uid())).setAccountId(a.accountId()).setAmountFen(amountFen)
                .setSubsidyFen(d.debit().subsidyFen()).setCashFen(d.debit().cashFen()).setMode(mode)
                .setMealPeriod(period == null ? "" : period.name()).build();
        JournalRow stored;
        try {
            stored = store.append(row);
        } catch (StoreException e) {
            log.error("sale {}: journal write failed ({}), sale refused", saleId, e.getMessage());
            finishDecline(tap, a, DeclineReason.STORAGE_FAULT, "");
            return;
        }
        if (pendingPin != null && facts.pinFailures() > 0) {
            store.accounts().setPinFailures(a.accountId(), 0, clock.millis());
        }
        String modeName = mode == AuthMode.ONLINE ? "online" : "offline";
        SaleOutcome o = new SaleOutcome(saleId, true, null, amountFen, tap.uidHex(), a.accountId(), a.holder(),
                d.balanceAfter().total(), stored.getSeq(), modeName, clock.millis(), micros(tap));
        reset();
        signals.outcome(o);
    }

    private void finishDecline(CardTap tap, Account a, DeclineReason reason, String mode) {
        long accountId = a == null ? 0 : a.accountId();
        String uidHex = tap == null ? "" : tap.uidHex();
        MealPeriod period = currentPeriod();
        try {
            store.recordDecline(clock.millis(), saleId, tap == null ? new byte[0] : tap.uid(), accountId, amountFen,
                    reason.name(), period == null ? "" : period.name());
            if (reason == DeclineReason.LOST && tap != null) {
                store.append(JournalRow.newBuilder().setKind(RowKind.LOST_CARD_SIGHTING).setSaleId(saleId)
                        .setTimeMs(clock.millis()).setCardUid(ByteString.copyFrom(tap.uid())).setAccountId(accountId)
                        .setMode(AuthMode.OFFLINE).build());
            }
            if (reason == DeclineReason.PIN_WRONG && a != null) {
                store.accounts().setPinFailures(a.accountId(), store.accounts().pinFailures(a.accountId()) + 1, clock.millis());
            }
        } catch (StoreException e) {
            log.error("sale {}: could not record decline {} ({})", saleId, reason, e.getMessage());
        }
        SaleOutcome o = new SaleOutcome(saleId, false, reason, amountFen, uidHex, accountId, a == null ? "" : a.holder(),
                0, 0, mode, clock.millis(), tap == null ? 0 : micros(tap));
        reset();
        signals.outcome(o);
    }

    private long micros(CardTap tap) {
        return Math.max(0, java.time.Duration.between(tap.at(), clock.instant()).toNanos() / 1000);
    }

    private void reset() {
        state = State.IDLE;
        saleId = null;
        amountFen = 0;
        pendingTap = null;
        pendingPin = null;
        qr = null;
    }

    private String nextSaleId() {
        saleCounter++;
        try {
            store.setMeta("sale_counter", Long.toString(saleCounter));
        } catch (StoreException e) {
            log.warn("could not persist sale counter: {}", e.getMessage());
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
     * Reverses (冲正) this terminal's last card sale if it is within the reversal window and not
     * reversed yet, by appending a compensating row.
     *
     * @return the reversal row
     * @throws IllegalStateException naming why there is nothing to reverse
     */
    public JournalRow reverseLast() {
        if (state != State.IDLE) {
            throw new IllegalStateException("sale " + saleId + " is in progress; finish or cancel it first");
        }
        var tail = store.tail(50);
        for (int i = tail.size() - 1; i >= 0; i--) {
            JournalRow r = tail.get(i);
            if (r.getKind() == RowKind.REVERSAL) {
                throw new IllegalStateException("the last sale (seq " + r.getReversesSeq() + ") is already reversed");
            }
            if (r.getKind() != RowKind.SALE) {
                continue;
            }
            long age = clock.millis() - r.getTimeMs();
            if (age > cfg.sale().reversalWindow().toMillis()) {
                throw new IllegalStateException("last sale " + r.getSaleId() + " is " + age / 1000
                        + " s old, beyond the reversal window of " + cfg.sale().reversalWindow().toSeconds() + " s");
            }
            JournalRow rev = store.append(JournalRow.newBuilder().setKind(RowKind.REVERSAL).setSaleId(r.getSaleId() + "-R")
                    .setTimeMs(clock.millis()).setCardUid(r.getCardUid()).setAccountId(r.getAccountId())
                    .setAmountFen(r.getAmountFen()).setSubsidyFen(r.getSubsidyFen()).setCashFen(r.getCashFen())
                    .setMode(AuthMode.OFFLINE).setReversesSeq(r.getSeq()).setMealPeriod(r.getMealPeriod()).build());
            log.info("sale {} seq {} reversed by seq {}: {} fen returned to account {}", r.getSaleId(), r.getSeq(),
                    rev.getSeq(), r.getAmountFen(), r.getAccountId());
            return rev;
        }
        throw new IllegalStateException("no card sale to reverse");
    }

}
