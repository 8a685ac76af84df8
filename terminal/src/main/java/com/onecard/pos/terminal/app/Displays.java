package com.onecard.pos.terminal.app;

import com.onecard.pos.display.AnsiRenderer;
import com.onecard.pos.display.FramebufferRenderer;
import com.onecard.pos.display.PngRenderer;
import com.onecard.pos.display.ScreenRenderer;
import com.onecard.pos.terminal.config.TerminalConfig;

import java.io.PrintStream;

/** Picks the customer display's renderer from the configuration. */
final class Displays {
    private Displays() {
    }

    static ScreenRenderer create(TerminalConfig.Display cfg, PrintStream console) throws java.io.IOException {
        return switch (cfg.kind()) {
            case "ansi" -> new AnsiRenderer(console);
            case "png" -> new PngRenderer(cfg.path());
            case "fb" -> new FramebufferRenderer(cfg.path(), cfg.fbSysfs());
            default -> screen -> { };
        };
    }
}
