package com.onecard.pos.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Development keys made by scripts/provision, and where they are. */
public record Keys(Path dir) {

    /** Runs scripts/provision for the terminals (idempotent: existing keys are kept). */
    public static Keys provision(Path root, Path dir, List<String> terminals) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("scripts/provision").toString(), "--dir", dir.toString()));
        cmd.addAll(terminals);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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

    public Path issuerKeyFile() {
        return dir.resolve("issuer.key");
    }

    public Path terminalDir(String id) {
        return dir.resolve("terminals").resolve(id);
    }

    public byte[] issuerKey() throws IOException {
        return hex(issuerKeyFile());
    }

    public byte[] terminalSecret(String id) throws IOException {
        return hex(terminalDir(id).resolve("terminal.secret"));
    }

    private static byte[] hex(Path p) throws IOException {
        return HexFormat.of().parseHex(Files.readString(p, StandardCharsets.US_ASCII).trim());
    }
}
