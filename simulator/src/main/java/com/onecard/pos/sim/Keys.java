package com.onecard.pos.sim;

import com.onecard.pos.issuer.CardIssuer;
import com.onecard.pos.issuer.IssuerKeys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Development keys made by scripts/provision, and where they are: the CA and the center's
 * identity, the issuer's desk, and per terminal either a SoftHSM2 key token (real daemons) or a
 * PEM identity (in-JVM light terminals, benchmark fleets).
 */
public record Keys(Path dir) {
    /** The PKCS#11 module of SoftHSM2 (Debian's softhsm2). */
    public static final String TOKEN_LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";

    /** Runs scripts/provision for the terminals, each with a key token (idempotent: existing keys are kept). */
    public static Keys provision(Path root, Path dir, List<String> terminals) throws IOException {
        return provision(root, dir, terminals, true);
    }

    /**
     * @param withToken true: each terminal gets a SoftHSM2 token with its keys; false: a PEM TLS
     *                  identity only (SyncClients in this JVM, which have no daemon and no token)
     */
    public static Keys provision(Path root, Path dir, List<String> terminals, boolean withToken) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("scripts/provision").toString(), "--dir", dir.toString()));
        if (!withToken) {
            cmd.add("--no-token");
        }
        cmd.addAll(terminals);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // the provisioning's Java part (token import, issuer desk) runs on this JVM's classpath
        pb.environment().put("ONECARD_POS_CLASSPATH", System.getProperty("java.class.path"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("scripts/provision failed:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while provisioning keys", e);
        }
        return new Keys(dir);
    }

    public Path ca() {
        return dir.resolve("ca.pem");
    }

    public Path centerCert() {
        return dir.resolve("center.pem");
    }

    public Path centerKey() {
        return dir.resolve("center.key");
    }

    /** The issuer's desk (master key, signing key): only the simulator's issuing uses it, never a terminal. */
    public Path issuerDir() {
        return dir.resolve("issuer");
    }

    /** The issuer public key terminals check cards with. */
    public Path issuerPublicKey() {
        return issuerDir().resolve(IssuerKeys.PUBLIC);
    }

    /** The simulator's card issuing, through the issuer tool's Java entry point. */
    public CardIssuer issuer() throws IOException {
        return new CardIssuer(IssuerKeys.load(issuerDir()));
    }

    public Path terminalDir(String id) {
        return dir.resolve("terminals").resolve(id);
    }

    /** The terminal's secret as the center keeps it (registered; the center derives the journal and QR keys from it). */
    public byte[] terminalSecret(String id) throws IOException {
        return hex(dir.resolve("center/terminals").resolve(id + ".secret"));
    }

    /** Configuration keys of the terminal's key token. */
    public Map<String, String> tokenConfig(String id) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("token.library", TOKEN_LIBRARY);
        m.put("token.slot", Files.readString(terminalDir(id).resolve("token.slot"), StandardCharsets.US_ASCII).strip());
        m.put("token.pin-file", terminalDir(id).resolve("token.pin").toString());
        return m;
    }

    /** The daemon's environment for its SoftHSM2 token. */
    public Map<String, String> tokenEnv(String id) {
        return Map.of("SOFTHSM2_CONF", terminalDir(id).resolve("token/softhsm2.conf").toString());
    }

    private static byte[] hex(Path p) throws IOException {
        return HexFormat.of().parseHex(Files.readString(p, StandardCharsets.US_ASCII).trim());
    }
}
