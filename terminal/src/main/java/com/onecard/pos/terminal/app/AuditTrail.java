package com.onecard.pos.terminal.app;

import com.onecard.pos.terminal.control.ControlPeer;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Records who changed what: each state-changing command from the control socket, the keypad or
 * the card center, with its sender and outcome, in the store's audit log. Terminal thread.
 */
final class AuditTrail {
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private final Store store;
    private final Clock clock;

    AuditTrail(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * A failed write is logged and does not undo the command: the change itself is already
     * journaled or refused. Sales and PIN entries are not logged again (each sale has its line).
     */
    void record(ControlPeer peer, String command, String detail, String outcome) {
        String source = peer == ControlPeer.KEYPAD ? "keypad" : peer == ControlPeer.CENTER ? "center" : "control";
        try {
            store.audit().record(clock.millis(), source, peer.uid(), peer.user(), peer.pid(), peer.program(), command, detail, outcome);
        } catch (StoreException e) {
            log.error("audit entry not recorded ({} {} by {}: {}): {}", command, detail, peer.describe(), outcome, e.getMessage());
        }
        if (!command.equals("sale") && !command.equals("pin")) {
            log.info("{} {} by {}: {}", command, detail, peer.describe(), outcome);
        }
    }
}
