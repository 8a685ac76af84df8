package com.onecard.pos.center.feed;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The terminals connected to this instance, one subscriber each (a newer session replaces an older one). */
public final class Subscribers {
    private final Map<String, TerminalSubscriber> byTerminal = new ConcurrentHashMap<>();

    /** Adds {@code s}; returns the subscriber it replaced for the same terminal, or null. */
    public TerminalSubscriber add(TerminalSubscriber s) {
        TerminalSubscriber old = byTerminal.put(s.terminalId(), s);
        return old == s ? null : old;
    }

    public void remove(TerminalSubscriber s) {
        byTerminal.remove(s.terminalId(), s);
    }

    public TerminalSubscriber get(String terminalId) {
        return byTerminal.get(terminalId);
    }

    public Collection<TerminalSubscriber> all() {
        return byTerminal.values();
    }

    public int size() {
        return byTerminal.size();
    }
}
