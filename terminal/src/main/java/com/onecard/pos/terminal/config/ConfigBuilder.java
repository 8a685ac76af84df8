package com.onecard.pos.terminal.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Turns checked {@link ConfigValues} into the typed {@link TerminalConfig} the daemon reads. */
final class ConfigBuilder {
    private ConfigBuilder() {
    }

    static TerminalConfig build(ConfigValues v, Path source, Map<String, String> effective, List<String> warnings) {
        var terminal = new TerminalConfig.Terminal(v.str("terminal.id"), v.str("terminal.label"), v.str("terminal.canteen-id"),
                v.str("terminal.merchant-name"), v.str("terminal.merchant-name-zh"), v.str("terminal.city"),
                v.str("terminal.city-zh"), v.path("terminal.data-dir"));
        var reader = new TerminalConfig.Reader(v.str("reader.driver"), v.str("reader.port"), v.integer("reader.baud"),
                v.bool("reader.require-credential"));
        var gpio = new TerminalConfig.Gpio(v.str("gpio.platform"), v.integer("gpio.buzzer-pin"), v.integer("gpio.green-pin"),
                v.integer("gpio.red-pin"));
        var scanner = new TerminalConfig.Scanner(v.str("scanner.driver"), v.str("scanner.port"), v.integer("scanner.baud"));
        var keypad = new TerminalConfig.Keypad(v.path("keypad.device"));
        var center = new TerminalConfig.Center(v.str("center.host"), v.integer("center.port"), v.path("center.ca-cert"),
                v.path("center.cert"), v.path("center.key"), v.millis("center.heartbeat-ms"),
                v.integer("center.batch-max-rows"), v.millis("center.batch-linger-ms"));
        var auth = new TerminalConfig.Auth(AuthMode.parse(v.str("auth.mode")), v.millis("auth.online-deadline-ms"),
                v.num("auth.offline.max-sale-fen"), v.num("auth.offline.daily-per-card-fen"),
                v.num("auth.offline.max-unsynced-count"), v.num("auth.offline.max-unsynced-fen"),
                v.num("auth.min-retained-balance-fen"), v.num("auth.pin.sale-threshold-fen"),
                v.num("auth.pin.daily-threshold-fen"), v.integer("auth.pin.max-tries"),
                java.time.Duration.ofMinutes(v.num("auth.pin.lock-minutes")));
        var sale = new TerminalConfig.Sale(v.millis("sale.card-timeout-ms"), v.millis("sale.reversal-window-ms"),
                v.millis("sale.qr-lifetime-ms"), v.list("pricing.periods"), v.list("pricing.menu"));
        var control = new TerminalConfig.Control(v.path("control.socket"), v.str("control.group"), v.bool("keypad.stdin"));
        var display = new TerminalConfig.Display(v.str("display.kind"), v.path("display.path"), v.path("display.fb-sysfs"));
        var journal = new TerminalConfig.Journal(v.integer("journal.retention-days"));
        var token = new TerminalConfig.Token(v.path("token.library"), v.num("token.slot"), v.integer("token.slot-index"),
                v.path("token.pin-file"));
        String until = v.str("card.v1-accepted-until");
        var cards = new TerminalConfig.Cards(v.path("card.issuer-public-keys"),
                until.isEmpty() ? null : java.time.LocalDate.parse(until));
        return new TerminalConfig(terminal, reader, gpio, scanner, keypad, center, auth, sale, control, display, journal,
                token, cards, source,
                Map.copyOf(effective), List.copyOf(warnings));
    }
}
