package com.onecard.pos.terminal.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.terminal.config.ConfigLoader;
import com.onecard.pos.terminal.control.ControlException;
import com.onecard.pos.terminal.control.ControlHandler;
import com.onecard.pos.terminal.control.ControlPeer;
import com.onecard.pos.terminal.sale.SaleOutcome;
import com.onecard.pos.terminal.store.Account;
import com.onecard.pos.terminal.store.Backlog;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The daemon's control commands. Runs on control client threads; anything touching sale state
 * or the store is posted to the terminal thread and awaited with a deadline.
 */
final class TerminalControl implements ControlHandler {
    private static final Duration LOOP_DEADLINE = Duration.ofSeconds(5);
    private final TerminalApp app;
    private final ObjectMapper json = new ObjectMapper();

    TerminalControl(TerminalApp app) {
        this.app = app;
    }

    @Override
    public boolean waits(String cmd) {
        return cmd.equals("await") || cmd.equals("reader-test");
    }

    @Override
    public ObjectNode handle(String cmd, JsonNode req, ControlPeer peer) throws ControlException {
        return switch (cmd) {
            case "status" -> status();
            case "sale" -> sale(req, peer);
            case "await" -> awaitOutcome(req);
            case "cancel" -> audited(peer, "cancel", "", () -> {
                String id = app.flow.currentSaleId();
                app.flow.cancel();
                ObjectNode n = ok();
                n.put("audit", id == null ? "nothing to cancel" : "cancelled " + id);
                return n;
            });
            case "reverse" -> audited(peer, "reverse", "", () -> {
                var r = app.flow.reverseLast();
                ObjectNode n = ok();
                n.set("reversal", TerminalJson.entry(json, r));
                var reversed = app.store.journal().recent(50).stream().filter(e -> e.seq() == r.reversesSeq()).findFirst();
                n.put("reversed_sale_id", reversed.map(e -> e.saleId()).orElse(r.saleId().replaceFirst("-R$", "")));
                n.put("reversed_kind", reversed.map(e -> e.kind().name()).orElse(""));
                n.put("holder", app.store.accounts().accountById(r.accountId()).map(Account::holder).orElse(""));
                n.put("audit", "reversal seq " + r.seq() + " of seq " + r.reversesSeq() + ", " + r.amountFen() + " fen");
                return n;
            });
            case "pin" -> {
                String pin = req.path("pin").asText("");
                yield audited(peer, "pin", "card password entered", () -> {
                    app.flow.enterPin(pin);
                    return ok();
                });
            }
            case "journal" -> req.path("audit").asBoolean(false) ? audit(req) : journal(req);
            case "card" -> card(req);
            case "card-clear-pin-lock" -> clearPinLock(req, peer);
            case "sync-now" -> {
                app.syncNow();
                yield ok();
            }
            case "settle" -> settle(req);
            case "screen" -> screen();
            case "selftest" -> new SelfTest(app, json).run(req.path("full").asBoolean(false), req.path("feedback").asBoolean(false));
            case "config-set" -> configSet(req, peer);
            case "reader-test" -> readerTest(req);
            case "feedback-test" -> audited(peer, "feedback-test", "", () -> {
                var f = app.feedback();
                f.test();
                ObjectNode n = ok();
                n.put("gpio", f.describe());
                n.put("audit", "played on " + f.describe());
                return n;
            });
            case "config-show" -> {
                ObjectNode n = ok();
                n.put("config", ConfigLoader.describe(app.cfg()));
                n.put("file", app.cfg().source().toString());
                yield n;
            }
            default -> throw new ControlException("unknown command '" + cmd
                    + "'; known: status, sale, await, pin, cancel, reverse, journal, card, sync-now, settle, screen, selftest,"
                    + " config-show, config-set, reader-test, card-clear-pin-lock, feedback-test");
        };
    }

    /**
     * Runs a state-changing command on the terminal thread and records it, with its sender and
     * outcome, in the audit log (in that same task, so the entry follows the change it describes).
     * An {@code audit} field of the answer becomes the outcome text and is not sent back.
     */
    private ObjectNode audited(ControlPeer peer, String command, String detail, Callable<ObjectNode> work) throws ControlException {
        return onLoop(() -> {
            ObjectNode r;
            try {
                r = work.call();
            } catch (IllegalStateException | IllegalArgumentException e) {
                app.audit.record(peer, command, detail, "refused: " + e.getMessage());
                throw e;
            }
            var note = r.remove("audit");
            app.audit.record(peer, command, detail, note == null ? "ok" : "ok: " + note.asText());
            return r;
        });
    }

    private ObjectNode ok() {
        ObjectNode n = json.createObjectNode();
        n.put("ok", true);
        return n;
    }

    private ObjectNode onLoop(Callable<ObjectNode> work) throws ControlException {
        try {
            return app.loop.call(work).get(LOOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IllegalStateException || c instanceof IllegalArgumentException) {
                throw new ControlException(c.getMessage());
            }
            if (c instanceof com.onecard.pos.terminal.store.StoreException se) {
                throw new ControlException("terminal storage fault: " + se.getMessage());
            }
            org.slf4j.LoggerFactory.getLogger(TerminalControl.class).error("control command failed on the terminal thread", c);
            throw new ControlException("the command failed inside the daemon; the daemon's log has the details");
        } catch (TimeoutException e) {
            throw new ControlException("terminal thread did not answer within " + LOOP_DEADLINE.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException("interrupted");
        }
    }

    /**
     * A whole-number field of a request: absent gives {@code def}; 12.7, "12", true or a number
     * past a long are refused naming the field (never silently truncated).
     */
    static long wholeNumber(JsonNode req, String field, long def) throws ControlException {
        JsonNode v = req.get(field);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ControlException(field + " must be a whole number, got " + v);
        }
        return v.asLong();
    }

    private ObjectNode sale(JsonNode req, ControlPeer peer) throws ControlException {
        long amount = wholeNumber(req, "amount_fen", 0);
        String pin = req.hasNonNull("pin") ? req.get("pin").asText() : null;
        boolean qr = req.path("qr").asBoolean(false);
        java.util.List<Integer> items = new java.util.ArrayList<>();
        for (JsonNode i : req.path("items")) {
            if (!i.isIntegralNumber() || !i.canConvertToInt()) {
                throw new ControlException("items must be menu numbers, got " + i);
            }
            items.add(i.asInt());
        }
        String detail = (qr ? "QR " : "card ") + (items.isEmpty() ? amount + " fen" : "items " + items)
                + (pin == null ? "" : ", card password given");
        return audited(peer, "sale", detail, () -> {
            long fen = items.isEmpty() ? amount : app.flow.menuTotal(items);
            String id = qr ? app.flow.beginQr(fen) : app.flow.begin(fen, pin);
            ObjectNode n = ok();
            n.put("sale_id", id);
            n.put("state", app.flow.state().name());
            // what the student is charged: the meal price when the cashier keyed 0
            n.put("amount_fen", app.flow.currentAmountFen());
            n.put("audit", "sale " + id);
            return n;
        });
    }

    private ObjectNode awaitOutcome(JsonNode req) throws ControlException {
        String id = req.path("sale_id").asText("");
        if (id.isEmpty()) {
            throw new ControlException("await needs sale_id");
        }
        long timeout = wholeNumber(req, "timeout_ms", 30000);
        if (timeout < 1 || timeout > 120000) {
            throw new ControlException("timeout_ms must be 1 to 120000, got " + timeout);
        }
        var pending = app.outcomeOf(id);
        if (pending.isEmpty()) {
            throw new ControlException("no sale " + id + " in progress or recently decided on this terminal");
        }
        try {
            SaleOutcome o = pending.get().get(timeout, TimeUnit.MILLISECONDS);
            ObjectNode n = ok();
            n.set("outcome", TerminalJson.outcome(json, o));
            return n;
        } catch (TimeoutException e) {
            throw new ControlException("sale " + id + " not decided within " + timeout + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException("interrupted");
        } catch (ExecutionException e) {
            throw new ControlException("sale " + id + " failed: " + e.getCause());
        }
    }

    private ObjectNode status() throws ControlException {
        ObjectNode n = onLoop(() -> {
            ObjectNode s = ok();
            Backlog b = app.store.backlog();
            ObjectNode bl = s.putObject("backlog");
            bl.put("count", b.count());
            bl.put("sum_fen", b.sumFen());
            bl.put("oldest_age_s", b.oldestTimeMs() == 0 ? 0 : (app.clock.millis() - b.oldestTimeMs()) / 1000);
            bl.put("last_seq", b.lastSeq());
            bl.put("acked_seq", b.ackedSeq());
            ObjectNode cache = s.putObject("cache");
            cache.put("accounts", app.store.accounts().accountCount());
            cache.put("blacklisted", app.store.accounts().blacklistCount());
            ObjectNode cur = cache.putObject("cursors");
            app.store.accounts().cursors().forEach(cur::put);
            s.put("sale_state", app.flow.state().name());
            s.put("sale_id", app.flow.currentSaleId());
            return s;
        });
        n.put("terminal_id", app.cfg().terminal().id());
        ObjectNode jn = n.putObject("journal");
        var start = app.chainCheck.atStart();
        jn.put("start_check_from_seq", start.from().seq());
        jn.put("start_check_rows", start.rows());
        jn.put("start_check_ms", start.ms());
        var full = app.chainCheck.lastFull();
        jn.put("last_full_check", full == null ? "" : app.chainCheck.lastFullAt().toString());
        jn.put("last_full_check_ok", full == null || full.ok());
        n.put("version", Version.get());
        n.put("uptime_s", Duration.between(app.startedAt, app.clock.instant()).toSeconds());
        n.put("config_file", app.cfg().source().toString());
        n.put("log_dir", System.getProperty("onecard.log.dir", "logs"));
        n.put("disk_free_mb", app.cfg().terminal().dataDir().toFile().getUsableSpace() / (1024 * 1024));
        var r = app.readerStatus();
        ObjectNode rd = n.putObject("reader");
        if (r == null) {
            rd.put("state", "NONE");
        } else {
            rd.put("state", r.state().name());
            rd.put("port", r.port());
            rd.put("firmware", r.firmware());
            rd.put("last_error", r.lastError());
            rd.put("since", r.since().toString());
            rd.put("taps", r.taps());
            rd.put("errors", r.errors());
            rd.put("implausible", r.implausible());
        }
        var lc = app.flow.cardLayoutCounts();
        ObjectNode cards = n.putObject("cards");
        cards.put("v1_accepted", lc.v1Accepted());
        cards.put("v1_cards", lc.v1DistinctCards());
        cards.put("v1_refused", lc.v1Refused());
        var until = app.cfg().cards().v1AcceptedUntil();
        cards.put("v1_accepted_until", until == null ? "" : until.toString());
        ObjectNode sc = n.putObject("scanner");
        var scanner = app.scanner();
        if (scanner == null) {
            sc.put("state", "NONE");
        } else {
            sc.put("state", scanner.connected() ? "OK" : "DISCONNECTED");
            sc.put("driver", app.cfg().scanner().driver());
            sc.put("port", scanner.port());
            sc.put("codes", scanner.codesDelivered());
            sc.put("not_payment_codes", app.unrecognisedCodes());
            sc.put("overlong_dropped", scanner.overflows());
            sc.put("reconnects", scanner.reconnects());
            sc.put("last_error", scanner.lastError());
        }
        ObjectNode kp = n.putObject("keypad");
        var keypad = app.keypad();
        if (keypad == null) {
            kp.put("state", "NONE");
        } else {
            kp.put("state", keypad.connected() ? "OK" : "DISCONNECTED");
            kp.put("device", keypad.path().toString());
            kp.put("keys", keypad.keys());
            kp.put("events_dropped", keypad.drops());
            kp.put("reconnects", keypad.reconnects());
            kp.put("last_error", keypad.lastError());
        }
        ObjectNode gp = n.putObject("gpio");
        gp.put("platform", app.cfg().gpio().platform());
        gp.put("outputs", app.feedback().describe());
        var on = app.feedback().switchedOn();
        ObjectNode sw = gp.putObject("switched_on");
        sw.put("buzzer", on.buzzer());
        sw.put("green", on.green());
        sw.put("red", on.red());
        var refused = app.config.refusedFromCenter();
        ObjectNode cf = n.putObject("config");
        cf.put("center_refused", refused.count());
        cf.put("center_refused_last", refused.lastKey());
        var cs = app.controlStats();
        ObjectNode ctl = n.putObject("control");
        ctl.put("open", cs.open());
        ctl.put("waiting", cs.waiting());
        ctl.put("accepted", cs.accepted());
        ctl.put("evicted_idle", cs.evicted());
        ctl.put("refused_busy", cs.refused());
        ctl.put("too_long", cs.tooLong());
        ctl.put("timed_out", cs.timedOut());
        var s = app.syncStatus();
        ObjectNode sy = n.putObject("sync");
        if (s == null) {
            sy.put("connected", false);
            sy.put("last_error", "no center configured (center.host is empty)");
        } else {
            sy.put("connected", s.connected());
            sy.put("last_acked_seq", s.lastAckedSeq());
            sy.put("last_sent_seq", s.lastSentSeq());
            sy.put("last_error", s.lastError());
            sy.put("last_contact", s.lastContact() == null ? "" : s.lastContact().toString());
            sy.put("clock_offset_ms", s.clockOffsetMs());
            sy.put("reconnects", s.reconnects());
            sy.put("upload_refusals", app.uploadRefusals());
            sy.put("rows_refused", app.rowRefusals());
            sy.put("journal_alarm", s.journalAlarm() == null ? "" : s.journalAlarm());
        }
        SaleOutcome last = app.lastOutcome();
        if (last != null) {
            n.set("last_sale", TerminalJson.outcome(json, last));
        }
        return n;
    }

    /** Rows asked for: 1 to 100000 (0 or -5 is a mistake to say, not one row to print). */
    private static int limit(JsonNode req) throws ControlException {
        long limit = wholeNumber(req, "limit", 20);
        if (limit < 1 || limit > 100_000) {
            throw new ControlException("limit must be 1 to 100000 rows, got " + limit);
        }
        return (int) limit;
    }

    private ObjectNode journal(JsonNode req) throws ControlException {
        int limit = limit(req);
        boolean byTime = req.has("from_ms") || req.has("to_ms");
        long from = wholeNumber(req, "from_ms", 0);
        long to = wholeNumber(req, "to_ms", Long.MAX_VALUE);
        return onLoop(() -> {
            var rows = byTime ? app.store.rowsBetween(from, to, limit) : app.store.tail(limit);
            ObjectNode n = ok();
            ArrayNode a = n.putArray("rows");
            rows.forEach(r -> a.add(TerminalJson.row(json, r)));
            ObjectNode d = n.putObject("declines");
            app.store.declinesBetween(from, to).forEach(d::put);
            return n;
        });
    }

    private static byte[] uid(JsonNode req) throws ControlException {
        String uidHex = req.path("uid").asText("").replace(":", "").replace(" ", "");
        byte[] uid;
        try {
            uid = HexFormat.of().parseHex(uidHex);
        } catch (IllegalArgumentException e) {
            throw new ControlException("uid must be hex, e.g. 901F2AA4; got '" + uidHex + "'");
        }
        if (uid.length < 4 || uid.length > 10) {
            throw new ControlException("uid must be 4 to 10 bytes, got " + uid.length);
        }
        return uid;
    }

    /** The card office checked the student: forget the wrong card passwords that locked the card here. */
    private ObjectNode clearPinLock(JsonNode req, ControlPeer peer) throws ControlException {
        byte[] uid = uid(req);
        String hex = HexFormat.of().withUpperCase().formatHex(uid);
        return audited(peer, "card-clear-pin-lock", "card " + hex, () -> {
            Account a = app.store.accounts().accountByUid(uid)
                    .orElseThrow(() -> new IllegalArgumentException("card " + hex + " is not in this terminal's account cache"));
            int tries = app.store.accounts().pinFailures(a.accountId());
            app.store.accounts().clearPinFailures(a.accountId());
            ObjectNode n = ok();
            n.put("account_id", a.accountId());
            n.put("holder", a.holder());
            n.put("cleared_tries", tries);
            n.put("audit", "account " + a.accountId() + ": " + tries + " wrong tries forgotten");
            return n;
        });
    }

    private ObjectNode card(JsonNode req) throws ControlException {
        byte[] uid = uid(req);
        return onLoop(() -> {
            ObjectNode n = ok();
            n.put("uid", HexFormat.of().withUpperCase().formatHex(uid));
            n.put("blacklisted", app.store.accounts().blacklisted(uid));
            Account a = app.store.accounts().accountByUid(uid).orElse(null);
            n.put("known", a != null);
            if (a != null) {
                var overlay = app.store.overlay(a.accountId(), a.appliedSeq());
                ObjectNode an = n.putObject("account");
                an.put("account_id", a.accountId());
                an.put("holder", a.holder());
                an.put("status", a.status().name());
                an.put("card_serial", a.cardSerial());
                an.put("center_subsidy_fen", a.subsidyFen());
                an.put("center_cash_fen", a.cashFen());
                an.put("unacknowledged_debit_fen", overlay.total());
                an.put("available_fen", a.subsidyFen() + a.cashFen() - overlay.total());
                an.put("version", a.version());
                an.put("applied_seq", a.appliedSeq());
                int wrong = app.store.accounts().pinFailures(a.accountId(),
                        app.clock.millis() - app.cfg().auth().pinLock().toMillis());
                an.put("pin_wrong_tries", wrong);
                an.put("pin_locked", wrong >= app.cfg().auth().pinMaxTries());
                an.put("expires_day", a.expiresDay());
            }
            return n;
        });
    }

    private ObjectNode settle(JsonNode req) throws ControlException {
        java.time.LocalDate day;
        try {
            day = req.hasNonNull("date") ? java.time.LocalDate.parse(req.get("date").asText()) : java.time.LocalDate.now(app.clock);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ControlException("date must be YYYY-MM-DD, got '" + req.get("date").asText() + "'");
        }
        return onLoop(() -> Settlement.report(json, app.store, app.cfg().terminal().id(), day, app.clock.getZone()));
    }

    private ObjectNode screen() throws ControlException {
        var s = app.currentScreen();
        if (s == null) {
            throw new ControlException("nothing shown yet");
        }
        try {
            var img = new com.onecard.pos.display.ScreenImage().draw(s);
            var bytes = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(img, "png", bytes);
            ObjectNode n = ok();
            n.put("kind", s.getClass().getSimpleName());
            n.put("text", new com.onecard.pos.display.AnsiRenderer(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).toText(s));
            n.put("png_base64", java.util.Base64.getEncoder().encodeToString(bytes.toByteArray()));
            return n;
        } catch (java.io.IOException e) {
            throw new ControlException("could not draw the screen: " + e.getMessage());
        }
    }

    private ObjectNode configSet(JsonNode req, ControlPeer peer) throws ControlException {
        String key = req.path("key").asText("");
        String value = req.path("value").asText("");
        if (key.isEmpty()) {
            throw new ControlException("config-set needs key and value");
        }
        String detail = key + "=" + (com.onecard.pos.terminal.config.ConfigLoader.isSecretKey(key) ? "****" : value);
        return audited(peer, "config-set", detail, () -> {
            ConfigApplier.Applied applied;
            try {
                applied = app.config.apply(key, value);
            } catch (com.onecard.pos.terminal.config.ConfigException e) {
                throw new IllegalArgumentException("refused, file unchanged: " + e.getMessage());
            }
            ObjectNode n = ok();
            n.put("applied", applied.live());
            n.put("value", applied.value());
            ArrayNode warnings = n.putArray("warnings");
            applied.warnings().forEach(warnings::add);
            n.put("audit", (applied.live() ? "saved and applied" : "saved, applies at the next restart")
                    + (applied.warnings().isEmpty() ? "" : "; " + String.join("; ", applied.warnings())));
            return n;
        });
    }

    private ObjectNode audit(JsonNode req) throws ControlException {
        int limit = limit(req);
        boolean byTime = req.has("from_ms") || req.has("to_ms");
        long from = wholeNumber(req, "from_ms", 0);
        long to = wholeNumber(req, "to_ms", Long.MAX_VALUE);
        return onLoop(() -> {
            var entries = byTime ? app.store.audit().between(from, to, limit) : app.store.audit().tail(limit);
            ObjectNode n = ok();
            ArrayNode a = n.putArray("audit");
            for (var e : entries) {
                ObjectNode o = a.addObject();
                o.put("time", Instant.ofEpochMilli(e.timeMs()).toString());
                o.put("time_ms", e.timeMs());
                o.put("source", e.source());
                o.put("uid", e.uid());
                o.put("user", e.user());
                o.put("pid", e.pid());
                o.put("program", e.program());
                o.put("command", e.command());
                o.put("detail", e.detail());
                o.put("outcome", e.outcome());
            }
            return n;
        });
    }

    private ObjectNode readerTest(JsonNode req) throws ControlException {
        long timeout = wholeNumber(req, "timeout_ms", 30000);
        if (timeout < 100 || timeout > 120000) {
            throw new ControlException("timeout_ms must be 100 to 120000, got " + timeout);
        }
        var probe = app.captureNextTap();
        try {
            var tap = probe.get(timeout, TimeUnit.MILLISECONDS);
            return onLoop(() -> TapReport.describe(json, tap, app.campusCard, app.store, app.readerStatus()));
        } catch (TimeoutException e) {
            probe.cancel(false);
            throw new ControlException("no card tapped within " + timeout / 1000 + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException("interrupted");
        } catch (ExecutionException e) {
            throw new ControlException("reader test failed: " + e.getCause());
        }
    }
}
