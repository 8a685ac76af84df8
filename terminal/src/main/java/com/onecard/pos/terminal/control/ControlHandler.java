package com.onecard.pos.terminal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Serves one control command. Called on a control worker thread, never on the socket's I/O thread. */
public interface ControlHandler {
    /**
     * Returns a response object with {@code ok}; throws ControlException for a clear refusal.
     *
     * @param peer who sent it, from the connection's kernel credentials (for the audit trail)
     */
    ObjectNode handle(String cmd, JsonNode request, ControlPeer peer) throws ControlException;

    /**
     * True for commands that wait for an outside event (a sale's outcome, a tap) rather than
     * finish within the terminal thread's deadline. They run on their own bounded pool, so that
     * clients waiting for cards never hold the threads that answer the health check.
     */
    default boolean waits(String cmd) {
        return false;
    }
}
