package com.onecard.pos.terminal.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The terminal's whole configuration, parsed and validated from one properties file by the
 * rules of {@link ConfigKeys} (see {@code pos.properties.sample}, which documents every key,
 * default and unit).
 *
 * @param source    the file it was read from
 * @param effective every key's effective value as configuration text, defaults included
 * @param warnings  values that were out of range and clamped, one sentence each naming the key
 */
public record TerminalConfig(
        Terminal terminal,
        Reader reader,
        Gpio gpio,
        Scanner scanner,
        Keypad keypad,
        Center center,
        Auth auth,
        Sale sale,
        Control control,
        Display display,
        Journal journal,
        Token token,
        Cards cards,
        Path source,
        Map<String, String> effective,
        List<String> warnings) {

    public record Terminal(String id, String label, String canteenId, String merchantName, String merchantNameZh,
                           String city, String cityZh, Path dataDir) {
    }

    public record Reader(String driver, String port, int baud, boolean requireCredential) {
    }

    public record Gpio(String platform, int buzzerPin, int greenPin, int redPin) {
    }

    /**
     * The QR / barcode scanner at the window.
     *
     * @param driver a code scanner model of the reader registry, or "none"
     * @param port   serial device, e.g. /dev/ttyACM0
     * @param baud   line speed (the model's default unless the module was set otherwise)
     */
    public record Scanner(String driver, String port, int baud) {
    }

    /** @param device the keypad's evdev node (/dev/input/by-id/...-event-kbd), or null for none */
    public record Keypad(Path device) {
    }

    /**
     * host empty = no center configured (offline-only bench set-ups); key null = the TLS private
     * key is in the key token.
     */
    public record Center(String host, int port, Path caCert, Path cert, Path key, Duration heartbeat,
                         int batchMaxRows, Duration batchLinger) {
    }

    public record Auth(AuthMode mode, Duration onlineDeadline, long maxOfflineSaleFen, long dailyOfflinePerCardFen,
                       long maxUnsyncedCount, long maxUnsyncedFen, long minRetainedBalanceFen,
                       long pinSaleThresholdFen, long pinDailyThresholdFen, int pinMaxTries, Duration pinLock) {
    }

    public record Sale(Duration cardTimeout, Duration reversalWindow, Duration qrLifetime, List<MealPeriod> periods,
                       List<MenuItem> menu) {
    }

    public record Control(Path socket, String group, boolean stdinKeypad) {
    }

    /** kind: ansi | png | fb | none; path: PNG file or framebuffer device. */
    public record Display(String kind, Path path, Path fbSysfs) {
    }

    /**
     * @param retentionDays journal rows the center acknowledged more than this many days ago move
     *                      to monthly archive files beside the store
     */
    public record Journal(int retentionDays) {
    }

    /**
     * The key token (PKCS#11) holding the terminal's secret keys.
     *
     * @param slot    slot id, or -1 to take {@code slotIndex}
     * @param pinFile the user PIN, readable by the daemon's user only
     */
    public record Token(Path library, long slot, int slotIndex, Path pinFile) {
    }

    /**
     * Campus cards.
     *
     * @param issuerPublicKeys PEM file of the card issuer's public keys; null = cards are not checked
     * @param v1AcceptedUntil  last day layout-1 cards pay; null = they are refused
     */
    public record Cards(Path issuerPublicKeys, java.time.LocalDate v1AcceptedUntil) {
    }
}
