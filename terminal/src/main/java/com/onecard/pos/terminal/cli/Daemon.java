package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.terminal.config.ConfigException;
import com.onecard.pos.terminal.config.ConfigLoader;
import com.onecard.pos.terminal.control.ControlClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** One request to the daemon from a posctl command, with the common error handling. */
final class Daemon {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final Path DEFAULT_CONFIG = Path.of("/etc/onecard-pos/pos.properties");
    static final Path DEFAULT_SOCKET = Path.of("/run/onecard-pos/control.sock");

    private Daemon() {
    }

    static Path socket(PosCtl.Target t) {
        if (t.socket != null) {
            return t.socket;
        }
        Path cfg = t.config != null ? t.config : DEFAULT_CONFIG;
        if (t.config != null || Files.exists(cfg)) {
            try {
                // the socket only: a key file this user cannot read must not keep posctl from the daemon
                return ConfigLoader.load(cfg, ConfigLoader.Checks.KEYS).control().socket();
            } catch (ConfigException e) {
                throw new PosCtl.UsageError("cannot find the control socket in " + cfg + ": " + e.getMessage());
            }
        }
        String env = System.getenv("ONECARD_POS_SOCKET");
        return env != null && !env.isBlank() ? Path.of(env) : DEFAULT_SOCKET;
    }

    /** Sends {@code cmd} with fields set by {@code fill}; returns the answer or throws Refused. */
    static JsonNode call(PosCtl.Target t, String cmd, Consumer<ObjectNode> fill) {
        Path sock = socket(t);
        try (ControlClient c = new ControlClient(sock)) {
            ObjectNode req = c.request(cmd);
            fill.accept(req);
            JsonNode resp = c.call(req);
            if (!resp.path("ok").asBoolean(false)) {
                if (t.json) {
                    print(resp);
                }
                throw new PosCtl.Refused(resp.path("error").asText("the daemon refused " + cmd));
            }
            return resp;
        } catch (IOException e) {
            throw new PosCtl.DaemonUnreachable(e.getMessage(), e);
        }
    }

    static JsonNode call(PosCtl.Target t, String cmd) {
        return call(t, cmd, r -> { });
    }

    static void print(JsonNode n) {
        try {
            System.out.println(JSON.writeValueAsString(n));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String yuan(long fen) {
        return com.onecard.pos.display.Yuan.format(fen);
    }
}
