package com.onecard.pos.bench.sqlitecenter;

import com.onecard.pos.sync.proto.Downstream;

/**
 * A connected terminal listening to the ledger's streams. Called with the ledger's lock held,
 * in stream order, so implementations only enqueue (e.g. a non-blocking channel write).
 */
public interface TerminalSubscriber {
    String terminalId();

    void push(Downstream change);
}
