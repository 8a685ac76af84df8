package com.onecard.pos.sim;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration every simulated window starts from: its key token and the issuer's public key
 * from scripts/provision (the daemon also needs {@link Keys#tokenEnv}), a PN532 on
 * the window's pty, the reference center on loopback, pi4j's mock GPIO, the ANSI screen, no card
 * password prompts. Callers add or override keys (meal prices, authorization mode, caps).
 */
public final class SimTerminalConfig {
    private SimTerminalConfig() {
    }

    public static Map<String, String> base(String id, Keys keys, Path readerPort, int centerPort) throws java.io.IOException {
        Path td = keys.terminalDir(id);
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.putAll(keys.tokenConfig(id));
        cfg.put("card.issuer-public-keys", keys.issuerPublicKey().toString());
        // layout-1 cards (a few students still carry one) pay until a year from now
        cfg.put("card.v1-accepted-until", java.time.LocalDate.now().plusYears(1).toString());
        cfg.put("terminal.label", "North canteen window " + id.replaceAll("\\D", ""));
        cfg.put("terminal.canteen-id", "N01");
        cfg.put("terminal.merchant-name", "NORTH CANTEEN");
        cfg.put("terminal.merchant-name-zh", "北区食堂");
        cfg.put("terminal.city-zh", "北京");
        cfg.put("reader.driver", "pn532");
        cfg.put("reader.port", readerPort.toString());
        cfg.put("gpio.platform", "mock");
        cfg.put("center.host", "127.0.0.1");
        cfg.put("center.port", Integer.toString(centerPort));
        cfg.put("center.ca-cert", keys.ca().toString());
        cfg.put("center.cert", td.resolve("terminal.pem").toString());
        cfg.put("center.heartbeat-ms", "2000");
        cfg.put("auth.mode", "prefer-online");
        cfg.put("auth.pin.sale-threshold-fen", "0");
        cfg.put("auth.pin.daily-threshold-fen", "0");
        cfg.put("pricing.periods", "");
        cfg.put("display.kind", "ansi");
        return cfg;
    }
}
