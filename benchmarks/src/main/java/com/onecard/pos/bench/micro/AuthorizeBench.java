package com.onecard.pos.bench.micro;

import com.onecard.pos.terminal.store.CardStatus;
import com.onecard.pos.terminal.auth.AuthRequestFacts;
import com.onecard.pos.terminal.auth.Authorizer;
import com.onecard.pos.terminal.auth.Decision;
import com.onecard.pos.terminal.config.AuthMode;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.store.Account;
import com.onecard.pos.terminal.store.Backlog;
import com.onecard.pos.terminal.store.Purses;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;

/** The offline authorization decision on gathered facts, no I/O. */
@State(Scope.Thread)
public class AuthorizeBench {
    private Authorizer authorizer;
    private AuthRequestFacts facts;

    @Setup
    public void setUp() {
        authorizer = new Authorizer(new TerminalConfig.Auth(AuthMode.PREFER_ONLINE, Duration.ofMillis(300), 5000, 20000,
                20000, 2_000_000, 0, 5000, 10000, 3, Duration.ofDays(1)));
        Account a = new Account(1001, new byte[]{4, 1, 2, 3}, 1, "Bench Student", CardStatus.ACTIVE, 30000, 20000,
                1, 0, "", 0);
        facts = new AuthRequestFacts(a, false, AuthRequestFacts.CredentialCheck.OK, true, 850, new Purses(30000, 20000),
                20000, 1200, 2400, null, 0, new Backlog(12, 9600, 0, 40, 28), null, 0);
    }

    @Benchmark
    public Decision decideOffline() {
        return authorizer.decideOffline(facts);
    }
}
