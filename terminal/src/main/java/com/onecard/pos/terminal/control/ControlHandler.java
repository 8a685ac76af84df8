package com.onecard.pos.terminal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Serves one control command. Called on a control client thread. */
public interface ControlHandler {
    /** Returns a response object with {@code ok}; throws ControlException for a clear refusal. */
    ObjectNode handle(String cmd, JsonNode request) throws ControlException;
}
