package com.onecard.pos.bench;

import com.onecard.pos.terminal.config.AuthMode;
import com.onecard.pos.terminal.config.TerminalConfig;

import java.time.Duration;

/** An authorization policy wide enough that bench sales are approved offline whatever the backlog. */
final class Policies {
    private Policies() {
    }

    static TerminalConfig.Auth auth() {
        return new TerminalConfig.Auth(AuthMode.OFFLINE_ONLY, Duration.ofMillis(300), 5000, Long.MAX_VALUE / 4,
                10_000_000, Long.MAX_VALUE / 4, 0, 0, 0, 3, Duration.ofDays(1));
    }
}
