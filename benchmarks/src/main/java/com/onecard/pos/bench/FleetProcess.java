package com.onecard.pos.bench;

import com.onecard.pos.sim.Keys;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.sync.client.SyncClientConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The authorization benchmark's terminals in a JVM of their own: {@code fleet} real SyncClients
 * (their own TLS identities, back-off, acknowledgements) and the open-loop loader, driven by the
 * benchmark's JVM, which holds the center, over the child's standard input and output.
 *
 * <p>Why a second JVM: in one JVM with the center, the 1,000 terminals' event-loop threads and
 * TLS engines made every young collection of that JVM 15–45 ms (G1), and each such pause stopped
 * the center and every terminal at once, something no deployment does (the center's JVM holds
 * the center; each terminal is a machine of its own). This JVM runs ZGC, whose pauses are well
 * under a millisecond, for the same reason: a pause here would stop 1,000 "machines" together.
 * Both JVMs, PostgreSQL and everything else still share this machine's CPUs.
 *
 * <p>Protocol: one command a line; each answer is one line starting {@code @@ } (anything else on
 * the child's output is logging, passed through). Commands: {@code start}, {@code ready
 * connected|replayed SECONDS}, {@code load PHASE SECONDS}, {@code rewind}, {@code applied},
 * {@code cpu}, {@code quit}.
 */
final class FleetProcess implements AutoCloseable {
    private static final String ANSWER = "@@ ";

    /** Put on {@link #answers} when the fleet's output ends. */
    private static final String ENDED = "\u0000ended";

    private final Process process;
    private final Writer in;
    /** The child's answers (prefix removed), read off its output by a thread of their own. */
    private final java.util.concurrent.BlockingQueue<String> answers = new java.util.concurrent.LinkedBlockingQueue<>();

    private FleetProcess(Process process) {
        this.process = process;
        this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith(ANSWER)) {
                        answers.add(line.substring(ANSWER.length()));
                    } else {
                        System.out.println(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            answers.add(ENDED);
        }, "fleet-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the fleet's JVM; its terminals connect to {@code 127.0.0.1:port} on {@link #start()}.
     *
     * @param spread each terminal's reconnect spread (SyncClientConfig.reconnectSpread)
     */
    static FleetProcess launch(Path keysDir, int fleet, int port, Duration spread, int authPerSecond)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx3g", "-XX:+UseZGC", "-Djava.awt.headless=true"));
        String logConf = System.getProperty("logback.configurationFile");
        if (logConf != null) {
            cmd.add("-Dlogback.configurationFile=" + logConf);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FleetProcess.class.getName(),
                keysDir.toString(), Integer.toString(fleet), Integer.toString(port), Long.toString(spread.toMillis()),
                Integer.toString(authPerSecond)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new FleetProcess(p);
    }

    /** Sends one command and returns its answer (without the prefix); IllegalStateException on an error answer. */
    private String call(String command, Duration max) throws IOException {
        in.write(command + "\n");
        in.flush();
        String a;
        try {
            a = answers.poll(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for '" + command + "'", e);
        }
        if (a == null) {
            throw new IllegalStateException("no answer to '" + command + "' in " + max.toSeconds() + " s");
        }
        if (a.equals(ENDED)) {
            answers.add(ENDED);
            throw new IllegalStateException("the fleet process ended during '" + command + "'");
        }
        if (a.startsWith("error ")) {
            throw new IllegalStateException("the fleet process failed '" + command + "': " + a.substring(6));
        }
        return a;
    }

    /** Every terminal starts its SyncClient. */
    void start() throws IOException {
        call("start", Duration.ofMinutes(2));
    }

    /** Waits until every terminal is connected (and with {@code replayed}, holds every account). */
    void awaitReady(boolean replayed, Duration max) throws IOException {
        call("ready " + (replayed ? "replayed" : "connected") + " " + max.toSeconds(), max.plusMinutes(1));
    }

    AuthLoad.Load load(String phase, Duration length) throws IOException {
        return AuthLoad.Load.decode(call("load " + phase + " " + length.toSeconds(), length.plusMinutes(1)));
    }

    /** Every terminal forgets its cursors: its next session replays every stream from the start. */
    void rewind() throws IOException {
        call("rewind", Duration.ofSeconds(30));
    }

    /** {changes applied by all terminals since they started, terminals holding every account since the rewind}. */
    long[] applied() throws IOException {
        String[] f = call("applied", Duration.ofSeconds(30)).split(" ");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    }

    /** From now on, notes when every terminal is connected (polled every 10 ms). */
    void watchReconnect() throws IOException {
        call("watch", Duration.ofSeconds(30));
    }

    /** When every terminal was connected again after {@link #watchReconnect()} (epoch ms); IllegalStateException if not yet. */
    long reconnectedAtMs() throws IOException {
        long at = Long.parseLong(call("backat", Duration.ofSeconds(30)));
        if (at < 0) {
            throw new IllegalStateException("the fleet is not all connected yet");
        }
        return at;
    }

    /** CPU the fleet's JVM has used so far, ms. */
    double cpuMs() throws IOException {
        return Double.parseDouble(call("cpu", Duration.ofSeconds(30)));
    }

    @Override
    public void close() {
        try {
            call("quit", Duration.ofMinutes(1));
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException | RuntimeException e) {
            // ended already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroyForcibly();
        }
    }

    /** The fleet's JVM: args keysDir fleet port spreadMs authPerSecond. */
    public static void main(String[] args) throws Exception {
        Keys keys = new Keys(Path.of(args[0]));
        int fleet = Integer.parseInt(args[1]);
        int port = Integer.parseInt(args[2]);
        Duration spread = Duration.ofMillis(Long.parseLong(args[3]));
        int perSecond = Integer.parseInt(args[4]);
        PrintStream answers = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<SyncClient> clients = new ArrayList<>();
        List<NullSink> sinks = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong backAt = new java.util.concurrent.atomic.AtomicLong(-1);
        try {
            for (String line; (line = commands.readLine()) != null; ) {
                String[] c = line.trim().split(" ");
                try {
                    switch (c[0]) {
                        case "start" -> {
                            for (String id : CenterBench.ids(fleet)) {
                                Path td = keys.terminalDir(id);
                                NullSink sink = new NullSink(d -> { });
                                sinks.add(sink);
                                SyncClient cl = new SyncClient(new SyncClientConfig("127.0.0.1", port, id, "bench",
                                        keys.ca(), td.resolve("terminal.pem"), td.resolve("terminal.key"),
                                        Duration.ofSeconds(20), 500, Duration.ofMillis(20)).withReconnectSpread(spread),
                                        new SealedOutbox(keys.terminalSecret(id), id, 0, CenterBench.FIRST_ACCOUNT,
                                                CenterBench.ACCOUNTS), sink, Clock.systemUTC());
                                clients.add(cl);
                                cl.start();
                            }
                            answers.println(ANSWER + "ok");
                        }
                        case "ready" -> {
                            boolean replayed = c[1].equals("replayed");
                            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(c[2]));
                            while (clients.stream().anyMatch(x -> !x.status().connected())
                                    || replayed && sinks.stream().anyMatch(x -> x.accountsSinceRewind() < CenterBench.ACCOUNTS)) {
                                if (System.nanoTime() > deadline) {
                                    throw new IllegalStateException("not every one of " + fleet + " terminals "
                                            + c[1] + " in " + c[2] + " s: "
                                            + clients.stream().filter(x -> x.status().connected()).count() + " connected");
                                }
                                Thread.sleep(50);
                            }
                            answers.println(ANSWER + "ok");
                        }
                        case "load" -> answers.println(ANSWER + AuthLoad.run(clients, perSecond, CenterBench.FIRST_ACCOUNT,
                                CenterBench.ACCOUNTS, Duration.ofSeconds(Long.parseLong(c[2])), c[1]).encode());
                        case "watch" -> {
                            backAt.set(-1);
                            Thread w = new Thread(() -> {
                                try {
                                    // the stop has already been seen by some terminals, not yet by all: wait for
                                    // the first to notice before waiting for all to be back
                                    while (clients.stream().allMatch(x -> x.status().connected())) {
                                        Thread.sleep(10);
                                    }
                                    while (clients.stream().anyMatch(x -> !x.status().connected())) {
                                        Thread.sleep(10);
                                    }
                                    backAt.set(System.currentTimeMillis());
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }, "reconnect-watch");
                            w.setDaemon(true);
                            w.start();
                            answers.println(ANSWER + "ok");
                        }
                        case "backat" -> answers.println(ANSWER + backAt.get());
                        case "rewind" -> {
                            sinks.forEach(NullSink::rewind);
                            answers.println(ANSWER + "ok");
                        }
                        case "applied" -> answers.println(ANSWER + sinks.stream().mapToLong(NullSink::applied).sum() + " "
                                + sinks.stream().filter(x -> x.accountsSinceRewind() >= CenterBench.ACCOUNTS).count());
                        case "cpu" -> answers.println(ANSWER + ((com.sun.management.OperatingSystemMXBean)
                                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e6);
                        case "quit" -> {
                            answers.println(ANSWER + "ok");
                            return;
                        }
                        default -> answers.println(ANSWER + "error unknown command " + c[0]);
                    }
                } catch (RuntimeException e) {
                    answers.println(ANSWER + "error " + e);
                }
            }
        } finally {
            clients.parallelStream().forEach(SyncClient::close);
            System.exit(0);
        }
    }
}
