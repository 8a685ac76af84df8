package com.onecard.pos.terminal.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Terminals provisioned by the real {@code scripts/provision}: a SoftHSM2 token per terminal in
 * a test folder, with its PIN file and slot. For tests that start the daemon as a process (the
 * token is opened in that process, with its own SOFTHSM2_CONF).
 */
public final class ProvisionedTerminal {
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    public static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    private final Path dir;

    private ProvisionedTerminal(Path dir) {
        this.dir = dir;
    }

    /** Runs scripts/provision for {@code ids} into {@code dir} (this JVM's classpath for its Java part). */
    public static ProvisionedTerminal provision(Path dir, String... ids) throws IOException, InterruptedException {
        return provision(dir, Map.of(), ids);
    }

    /** As {@link #provision(Path, String...)}, with more environment for the script (e.g. a PATH). */
    public static ProvisionedTerminal provision(Path dir, Map<String, String> env, String... ids) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("scripts/provision").toString(), "--dir", dir.toString()));
        cmd.addAll(List.of(ids));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ONECARD_POS_CLASSPATH", System.getProperty("java.class.path"));
        // the issuer's desk is made by the issuer module, which the terminal does not depend on:
        // the reactor has built it before this module
        pb.environment().put("ONECARD_POS_ISSUER_CLASSPATH", System.getProperty("java.class.path") + ":"
                + ROOT.resolve("issuer/target/classes"));
        pb.environment().putAll(env);
        Path log = Files.createTempFile(dir.getParent(), "provision", ".log");
        Process p = pb.redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("scripts/provision failed:\n" + Files.readString(log));
        }
        return new ProvisionedTerminal(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path terminalDir(String id) {
        return dir.resolve("terminals").resolve(id);
    }

    /** The terminal secret the center keeps (the journal key; the QR key is derived from it). */
    public byte[] secret(String id) throws IOException {
        return HexFormat.of().parseHex(Files.readString(dir.resolve("center/terminals/" + id + ".secret"), StandardCharsets.US_ASCII).strip());
    }

    /** The token keys of the configuration. */
    public Map<String, String> tokenConfig(String id) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("token.library", LIBRARY);
        m.put("token.slot", Files.readString(terminalDir(id).resolve("token.slot")).strip());
        m.put("token.pin-file", terminalDir(id).resolve("token.pin").toString());
        return m;
    }

    /** The environment the daemon needs to find this terminal's SoftHSM2 token. */
    public Map<String, String> env(String id) {
        return Map.of("SOFTHSM2_CONF", terminalDir(id).resolve("token/softhsm2.conf").toString());
    }
}
