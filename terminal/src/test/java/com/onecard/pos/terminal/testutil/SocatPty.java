package com.onecard.pos.terminal.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A socat pty pair for a reader in tests: the daemon opens {@link #host()}, the test writes the module's bytes to {@link #module()}. */
public final class SocatPty implements AutoCloseable {
    private final Process socat;
    private final Path host;
    private final Path module;

    private SocatPty(Process socat, Path host, Path module) {
        this.socat = socat;
        this.host = host;
        this.module = module;
    }

    public static SocatPty start(Path dir) throws IOException, InterruptedException {
        Path host = dir.resolve("tty-reader");
        Path module = dir.resolve("tty-module");
        Process p = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + host, "pty,raw,echo=0,link=" + module)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Await.until(Duration.ofSeconds(10), () -> !p.isAlive() || (Files.exists(host) && Files.exists(module)));
        } catch (Exception e) {
            p.destroy();
            throw new IOException("waiting for socat's links", e);
        }
        if (!p.isAlive() || !(Files.exists(host) && Files.exists(module))) {
            p.destroy();
            throw new IOException("socat did not create " + host + " and " + module);
        }
        return new SocatPty(p, host, module);
    }

    public Path host() {
        return host;
    }

    public Path module() {
        return module;
    }

    @Override
    public void close() throws InterruptedException {
        socat.destroy();
        socat.waitFor();
    }
}
