package com.onecard.pos.terminal.app;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Puts the terminal id on every log line, whatever thread logs it ({@code %tid} in logback.xml). */
public final class TerminalIdConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return System.getProperty("onecard.terminal", "-");
    }
}
