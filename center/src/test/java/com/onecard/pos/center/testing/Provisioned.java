package com.onecard.pos.center.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Keys made by the real scripts/provision, located from the module directory failsafe runs in. */
public record Provisioned(Path dir) {
    public static Provisioned run(Path dir, String... terminalIds) throws IOException, InterruptedException {
        Path script = locateScript();
        // SyncClients in this JVM: PEM identities, no key token
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), "--dir", dir.toString(), "--no-token"));
        cmd.addAll(List.of(terminalIds));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ONECARD_POS_CLASSPATH", System.getProperty("java.class.path"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("provision failed: " + out);
        }
        return new Provisioned(dir);
    }

    private static Path locateScript() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("scripts/provision");
            if (Files.isRegularFile(s)) {
                return s;
            }
        }
        throw new IllegalStateException("scripts/provision not found above " + Path.of("").toAbsolutePath());
    }

    public Path ca() { return dir.resolve("ca.pem"); }
    public Path centerCert() { return dir.resolve("center.pem"); }
    public Path centerKey() { return dir.resolve("center.key"); }
    public Path cert(String id) { return dir.resolve("terminals").resolve(id).resolve("terminal.pem"); }
    public Path key(String id) { return dir.resolve("terminals").resolve(id).resolve("terminal.key"); }

    public byte[] secret(String id) throws IOException {
        return HexFormat.of().parseHex(Files.readString(dir.resolve("center/terminals").resolve(id + ".secret")).trim());
    }
}
