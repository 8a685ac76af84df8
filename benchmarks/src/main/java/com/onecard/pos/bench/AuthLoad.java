package com.onecard.pos.bench;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The online-authorization load of the center benchmark: open loop at a set rate from random
 * connected terminals, and what it measured.
 */
final class AuthLoad {
    static final int AUTH_TIMEOUT_MS = 5_000;

    private AuthLoad() {
    }

    /**
     * What an open-loop run measured: latencies in ms from each request's <em>scheduled</em> send
     * time (a loader that fell behind cannot hide the wait: no coordinated omission), requests that
     * got no answer within the timeout (counted at the timeout), and requests not sent because the
     * chosen terminal was not connected; {@code dueSecond[i]} is the second of the phase request i
     * was due in.
     */
    record Load(double[] ms, int timedOut, int skipped, double maxSendLagMs, double[] dueSecond) {
        /** p99 (and count) of the requests due in each second of the phase: where in it the tail comes from. */
        String perSecond() {
            java.util.TreeMap<Integer, List<Double>> by = new java.util.TreeMap<>();
            for (int i = 0; i < ms.length; i++) {
                by.computeIfAbsent((int) dueSecond[i], k -> new ArrayList<>()).add(ms[i]);
            }
            StringBuilder out = new StringBuilder("p99 per second of the phase (ms, requests)");
            by.forEach((sec, l) -> {
                double[] a = l.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                double p99 = a[Math.min(a.length - 1, (int) Math.ceil(a.length * 0.99) - 1)];
                out.append(String.format(Locale.ROOT, " s%d %.1f (%d)", sec, p99, a.length));
            });
            return out.toString();
        }

        String describe() {
            return String.format(Locale.ROOT, "%d answered, %d without an answer in %d ms (counted at %d ms),"
                    + " %d not sent (terminal reconnecting), loader lag max %.1f ms", ms.length - timedOut, timedOut,
                    AUTH_TIMEOUT_MS, AUTH_TIMEOUT_MS, skipped, maxSendLagMs);
        }

        /** One line: counts, then each sample as {@code ms:second} (the fleet process's answer). */
        String encode() {
            StringBuilder b = new StringBuilder();
            b.append(timedOut).append(' ').append(skipped).append(' ').append(maxSendLagMs).append(' ')
                    .append(ms.length);
            for (int i = 0; i < ms.length; i++) {
                b.append(' ').append(ms[i]).append(':').append((int) dueSecond[i]);
            }
            return b.toString();
        }

        /** The inverse of {@link #encode()}; IllegalArgumentException naming what does not parse. */
        static Load decode(String line) {
            String[] f = line.trim().split(" ");
            try {
                int n = Integer.parseInt(f[3]);
                if (f.length != 4 + n) {
                    throw new IllegalArgumentException("a load of " + n + " samples with " + (f.length - 4) + " given");
                }
                double[] ms = new double[n];
                double[] sec = new double[n];
                for (int i = 0; i < n; i++) {
                    String[] s = f[4 + i].split(":");
                    ms[i] = Double.parseDouble(s[0]);
                    sec[i] = Integer.parseInt(s[1]);
                }
                return new Load(ms, Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]), sec);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a load line: " + line.substring(0, Math.min(80,
                        line.length())), e);
            }
        }
    }

    /** Parks until {@code due} (System.nanoTime); returns how late it is then, ms (the loader's lag). */
    static double awaitDue(long due) {
        long wait = due - System.nanoTime();
        if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        return (System.nanoTime() - due) / 1e6;
    }

    /**
     * Sends authorizations open loop at {@code perSecond} (request n is due at start + n / rate,
     * whatever the answers do) from random connected terminals for {@code length}; each latency
     * runs from the request's due time to its answer, so a stall of the loader or of the center is
     * counted in full. Sale ids are {@code phase-n}.
     */
    static Load run(List<SyncClient> clients, int perSecond, long firstAccount, int accounts, Duration length,
                    String phase) {
        Random r = new Random(17);
        ConcurrentLinkedQueue<double[]> ms = new ConcurrentLinkedQueue<>();
        AtomicInteger timedOut = new AtomicInteger();
        List<CompletableFuture<AuthResponse>> pending = new ArrayList<>();
        long periodNs = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        long n = 0;
        int skipped = 0;
        double maxLag = 0;
        while (true) {
            long due = start + n * periodNs;
            if (due - start >= length.toNanos()) {
                break;
            }
            maxLag = Math.max(maxLag, awaitDue(due));
            SyncClient c = clients.get(r.nextInt(clients.size()));
            if (!c.status().connected()) {
                skipped++;
                n++;
                continue;
            }
            long acc = firstAccount + r.nextInt(accounts);
            AuthRequest req = AuthRequest.newBuilder().setSaleId(phase + "-" + n)
                    .setCardUid(ByteString.copyFrom(CenterBench.uid(acc))).setAccountId(acc).setAmountFen(1)
                    .setTimeMs(System.currentTimeMillis()).build();
            pending.add(c.authorize(req, Duration.ofMillis(AUTH_TIMEOUT_MS)).whenComplete((resp, err) -> {
                double second = (double) ((due - start) / 1_000_000_000L);
                if (err == null) {
                    ms.add(new double[] {(System.nanoTime() - due) / 1e6, second});
                } else {
                    timedOut.incrementAndGet();
                    ms.add(new double[] {AUTH_TIMEOUT_MS, second});
                }
            }));
            n++;
        }
        for (CompletableFuture<AuthResponse> f : pending) {
            try {
                f.get(AUTH_TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // counted in whenComplete
            }
        }
        List<double[]> all = new ArrayList<>(ms);
        return new Load(all.stream().mapToDouble(x -> x[0]).toArray(), timedOut.get(), skipped, maxLag,
                all.stream().mapToDouble(x -> x[1]).toArray());
    }
}
