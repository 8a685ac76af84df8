package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.ReaderConfig;
import com.onecard.pos.reader.ReaderState;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.card.CardData;
import com.onecard.pos.reader.loop.ReaderLoop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The reader's published reliability figures: the PN532 emulator and our {@link ReaderLoop} on a
 * real socat pty pair, N presentations of campus cards (unique UIDs, about one in five a card
 * seen before), response frames corrupted at random, noise bursts, and unplug/replug cycles
 * (the pty pair closed and started again on the same paths) spread evenly over the run.
 * <p>
 * Each presentation places a card, waits for its tap, holds it briefly, removes it and waits for
 * the removal, as a queue of students would. Unplug cycles alternate two cases: "retry" — the
 * next student taps while the reader is unplugged and keeps the card there until it is read
 * after replug (counted as a retry, not a miss); "held" — the last card stays on the reader
 * through the outage (it must not tap again), then the next card is presented.
 * <p>
 * {@code --taps N --corruption P --noise-bursts K --unplugs U --seed S --json FILE}
 */
public final class ReaderReliabilityRun {
    static final long TAP_DEADLINE_MS = 3000;
    static final long REMOVAL_DEADLINE_MS = 2000;
    static final long RECOVER_DEADLINE_MS = 15_000;
    /** How long the student tries while the reader is unplugged before it counts as a retry. */
    static final long OUTAGE_ATTEMPT_MS = 300;
    private static final int BAUD = 115200;

    private final ReliabilityOptions options;
    private final Random random;
    private final DevCards cards;
    private final TapLedger ledger = new TapLedger();
    private final List<Long> latencies = new ArrayList<>();
    private final List<ReliabilityFigures.Replug> replugs = new ArrayList<>();
    private final Path host;
    private final Path device;
    private PtyPair pair;
    private Pn532Emulator emulator;
    private ReaderLoop loop;
    private int tapsRead;
    private int campusOk;
    private final Map<String, Integer> campusNotOk = new TreeMap<>();
    private int missed;
    private int retries;
    private int removalsMissed;
    private long expectedRemovals;

    ReaderReliabilityRun(ReliabilityOptions options, Path dir) throws java.io.IOException {
        this.options = options;
        this.cards = DevCards.at(dir.resolve("issuer"));
        this.random = new Random(options.seed());
        this.host = dir.resolve("reader");
        this.device = dir.resolve("pn532");
    }

    public static void main(String[] args) throws Exception {
        ReliabilityOptions options;
        try {
            options = ReliabilityOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: ReaderReliabilityRun [--taps N] [--corruption P] [--noise-bursts K] "
                    + "[--unplugs U] [--seed S] [--json FILE]");
            System.exit(2);
            return;
        }
        Path dir = Files.createTempDirectory("reader-reliability");
        ReliabilityFigures f = new ReaderReliabilityRun(options, dir).run();
        System.out.print(f.table());
        if (options.json() != null) {
            Files.writeString(options.json(), f.json());
            System.out.println("figures written to " + options.json());
        }
        System.exit(f.falseTaps() == 0 && f.missed() == 0 ? 0 : 1);
    }

    ReliabilityFigures run() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        List<VirtualCard> plan = plan();
        Set<Integer> unplugAt = new HashSet<>();
        for (int k = 1; k <= options.unplugs(); k++) {
            unplugAt.add((int) ((long) k * plan.size() / (options.unplugs() + 1)));
        }
        Set<Integer> noiseAt = new HashSet<>();
        while (noiseAt.size() < options.noiseBursts()) {
            noiseAt.add(random.nextInt(plan.size()));
        }
        pair = PtyPair.start(host, device);
        try {
            emulator = new Pn532Emulator(device.toString(), BAUD);
            emulator.setCorruption(options.corruption(), options.seed());
            loop = new ReaderLoop(new ReaderConfig("pn532", host.toString(), BAUD, cards.reader()), ledger, Clock.systemUTC());
            loop.start();
            if (!until(RECOVER_DEADLINE_MS, () -> loop.status().state() == ReaderState.OK)) {
                throw new IOException("reader on " + host + " not OK within " + RECOVER_DEADLINE_MS + " ms: "
                        + loop.status().lastError());
            }
            for (int i = 0; i < plan.size(); i++) {
                // noise is random bytes in front of every frame for this presentation
                emulator.setNoise(noiseAt.contains(i) ? 3 + random.nextInt(14) : 0);
                boolean nextUnplugs = unplugAt.contains(i + 1);
                boolean held = nextUnplugs && replugs.size() % 2 == 1;
                if (unplugAt.contains(i)) {
                    unplugCycle(i, plan.get(i));
                } else {
                    present(i, plan.get(i), held);
                }
            }
            emulator.setNoise(0);
        } finally {
            if (loop != null) {
                loop.close();
            }
            if (emulator != null) {
                emulator.stop();
            }
            pair.close();
        }
        List<Long> sorted = new ArrayList<>(latencies);
        sorted.sort(null);
        List<String> falseTaps = ledger.falseTaps();
        return new ReliabilityFigures(options, plan.size(), tapsRead, campusOk, Map.copyOf(campusNotOk), missed, retries, falseTaps.size(),
                falseTaps, removalsMissed, emulator.responsesCorrupted(), options.noiseBursts(),
                loop.status().errors(), ledger.degradedEvents(), sorted, replugs,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** Presentations in order: mostly new cards with unique UIDs, about one in five a card seen before. */
    private List<VirtualCard> plan() {
        List<VirtualCard> plan = new ArrayList<>();
        List<VirtualCard> seen = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        long account = 300_000;
        for (int i = 0; i < options.taps(); i++) {
            if (seen.size() > 5 && random.nextInt(5) == 0) {
                VirtualCard again = seen.get(random.nextInt(seen.size()));
                if (again != plan.get(plan.size() - 1)) {
                    plan.add(again);
                    continue;
                }
            }
            String uid;
            do {
                uid = HexFormat.of().withUpperCase().formatHex(new byte[]{0x04, (byte) random.nextInt(256),
                        (byte) random.nextInt(256), (byte) random.nextInt(256)});
            } while (!uids.add(uid));
            VirtualCard c = VirtualCard.campus(uid, cards.issuer(), new CardData(account++, 1, 0));
            seen.add(c);
            plan.add(c);
        }
        return plan;
    }

    /** One student: place, wait for the tap, hold briefly, take away (unless {@code leaveOn}). */
    private void present(int i, VirtualCard card, boolean leaveOn) throws InterruptedException {
        ledger.present(i, card.uidHex());
        long placed = System.nanoTime();
        emulator.place(card);
        long tapped = ledger.awaitTap(TAP_DEADLINE_MS);
        if (tapped < 0) {
            missed++;
        } else {
            read();
            latencies.add((tapped - placed) / 1_000_000);
        }
        if (!leaveOn) {
            takeAway(tapped >= 0);
        }
    }

    private void read() {
        tapsRead++;
        CardTap tap = ledger.lastTap();
        if (tap != null && tap.campusRead() == CardTap.CampusRead.OK
                && cards.reader().verify(tap.uid(), tap.campusData()).result() == CampusCard.Result.OK) {
            campusOk++;
        } else if (tap != null) {
            // the terminal would refuse this tap and the student present the card again
            campusNotOk.merge(tap.campusRead() == CardTap.CampusRead.OK ? "MAC_MISMATCH" : tap.campusRead().name(),
                    1, Integer::sum);
        }
    }

    private void takeAway(boolean wasTapped) throws InterruptedException {
        // pacing: a student's hand stays a moment after the beep
        LockSupport.parkNanos((5 + random.nextInt(40)) * 1_000_000L);
        emulator.remove();
        ledger.withdraw();
        if (wasTapped) {
            expectedRemovals++;
            if (!ledger.awaitRemovals(expectedRemovals, REMOVAL_DEADLINE_MS)) {
                removalsMissed++;
                expectedRemovals = ledger.removals();
            }
        }
        LockSupport.parkNanos((5 + random.nextInt(20)) * 1_000_000L);
    }

    private void unplugCycle(int i, VirtualCard card) throws IOException, InterruptedException {
        boolean held = emulator.card() != null;
        pair.close();
        if (!until(RECOVER_DEADLINE_MS, () -> loop.status().state() == ReaderState.DISCONNECTED)) {
            throw new IOException("reader on " + host + " still " + loop.status().state() + " after the unplug");
        }
        if (!held) {
            // the next student taps while the reader is unplugged and keeps the card there
            ledger.present(i, card.uidHex());
            emulator.place(card);
            if (ledger.awaitTap(OUTAGE_ATTEMPT_MS) >= 0) {
                throw new IllegalStateException("a tap arrived while the reader was unplugged");
            }
            retries++;
        }
        pair = PtyPair.start(host, device);
        long replugged = System.nanoTime();
        long ok = ledger.awaitOkAfter(replugged, RECOVER_DEADLINE_MS);
        long firstTap;
        if (held) {
            // the card left on the reader is polled again after the reconnect and must not tap twice
            long c = emulator.commandsHandled();
            until(RECOVER_DEADLINE_MS, () -> emulator.commandsHandled() > c + 5);
            takeAway(true);
            present(i, card, false);
            firstTap = ledger.awaitTap(0);
        } else {
            firstTap = ledger.awaitTap(RECOVER_DEADLINE_MS);
            if (firstTap < 0) {
                missed++;
            } else {
                read();
            }
            // a removal the loop reported while no one waited for it must not shift the count
            expectedRemovals = ledger.removals();
            takeAway(firstTap >= 0);
        }
        replugs.add(new ReliabilityFigures.Replug(i, held ? "held" : "retry",
                ok < 0 ? -1 : (ok - replugged) / 1_000_000, firstTap < 0 ? -1 : (firstTap - replugged) / 1_000_000));
    }

    private static boolean until(long timeoutMs, BooleanSupplier condition) {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }
}
