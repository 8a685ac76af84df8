package com.onecard.pos.terminal.app;

import com.onecard.pos.display.ScreenRenderer;
import com.onecard.pos.terminal.config.ConfigException;
import com.onecard.pos.terminal.config.ConfigLoader;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.store.StoreException;
import com.onecard.pos.terminal.token.KeyToken;
import com.onecard.pos.terminal.token.TerminalKeys;
import com.onecard.pos.terminal.token.TokenException;
import com.onecard.pos.terminal.token.TokenSettings;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * The terminal daemon's entry point: {@code java -jar terminal.jar --config FILE}.
 * Exit codes: 0 stopped cleanly; 2 bad configuration or key token (a PIN refused, a key missing,
 * a key that is not the one the journal was written with); 3 the journal failed verification (an
 * edited, removed or foreign row); 1 anything else at start, transient storage errors and a token
 * not (yet) present included: systemd restarts on 1 and not on 2 or 3, which a restart cannot
 * fix. On running out of memory the JVM kills itself (see {@link DaemonJvm}) and is restarted.
 */
public final class Daemon {
    private Daemon() {
    }

    public static void main(String[] args) {
        // before any logger exists: the daemon's rolling file configuration, not a library's default
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "onecard-posd-logback.xml");
        }
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                config = Path.of(args[++i]);
            }
        }
        if (config == null) {
            System.err.println("usage: onecard-posd --config FILE");
            System.exit(2);
        }
        TerminalConfig cfg;
        try {
            cfg = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.setProperty("onecard.terminal", cfg.terminal().id());
        Thread.setDefaultUncaughtExceptionHandler((t, e) ->
                org.slf4j.LoggerFactory.getLogger(Daemon.class).error("thread {} died", t.getName(), e));
        TerminalApp app;
        try {
            ScreenRenderer renderer = Displays.create(cfg.display(), System.out);
            // onecard.clock.offset (ISO-8601, e.g. PT3H): a skewed clock, set only by the simulator
            String offset = System.getProperty("onecard.clock.offset");
            Clock clock = offset == null ? Clock.systemDefaultZone() : Clock.offset(Clock.systemDefaultZone(), java.time.Duration.parse(offset));
            TerminalKeys keys = TerminalKeys.fromToken(KeyToken.open(new TokenSettings(cfg.token().library(),
                    cfg.token().slot(), cfg.token().slotIndex(), cfg.token().pinFile())), cfg);
            app = TerminalApp.start(cfg, keys, clock, renderer);
        } catch (TokenException e) {
            // a wrong PIN, a missing or wrong key is for someone to fix (and a retried PIN counts towards
            // locking the token): 2, not restarted; a token not (yet) present may come: 1, restarted
            System.err.println("key token: " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(Daemon.class).error("start failed: key token: {}", e.getMessage());
            System.exit(e.transientFault() ? 1 : 2);
            return;
        } catch (com.onecard.pos.reader.gpio.GpioException e) {
            // the buzzer and LEDs cannot be driven as configured: a restart cannot fix it (exit 2, as a bad key)
            System.err.println("configuration error: " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(Daemon.class).error("start failed: {}", e.getMessage());
            System.exit(2);
            return;
        } catch (StoreException e) {
            if (e.kind() == StoreException.Kind.WRONG_KEY) {
                System.err.println("key token: " + e.getMessage());
                org.slf4j.LoggerFactory.getLogger(Daemon.class).error("start failed: {}", e.getMessage());
                System.exit(2);
                return;
            }
            boolean tampered = e.kind() == StoreException.Kind.TAMPERED;
            System.err.println((tampered ? "journal failed verification: " : "storage error (systemd will try again): ")
                    + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(Daemon.class).error("start failed: {}", e.getMessage());
            System.exit(tampered ? 3 : 1);
            return;
        } catch (Exception e) {
            System.err.println("terminal " + cfg.terminal().id() + " failed to start: " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(Daemon.class).error("start failed", e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
