package com.onecard.pos.bench;

import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.ReaderConfig;
import com.onecard.pos.reader.ReaderListener;
import com.onecard.pos.reader.loop.ReaderLoop;
import com.onecard.pos.reader.pn532.Pn532Driver;
import com.onecard.pos.sim.reader.Pn532Emulator;
import com.onecard.pos.sim.reader.PtyPair;
import com.onecard.pos.sim.reader.VirtualCard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The reader path on the PN532 emulator at 115200 baud over a socat pty pair, with the chip's own
 * times ({@link com.onecard.pos.sim.reader.Pn532Timing}: RF exchanges, line time both ways).
 * <ul>
 * <li>driver_tap_to_uid_ms: ReaderLoop polling; card placed on the emulator → onTap called.</li>
 * <li>driver_open_to_uid_ms: card already present; Pn532Driver.open (port open + chip init) → first
 * poll returns the UID. In-process, warm JVM.</li>
 * <li>libnfc_list_14443a_ms: card already present; exec {@code nfc-list -t 1} (ISO14443A only, as our
 * driver) on the same emulator, interleaved with the driver's opens in the same run → process exits
 * having printed the UID. Includes exec and libnfc's load, which {@code libnfc_exec_ms} ({@code nfc-list -h}:
 * start and exit without a device) shows.</li>
 * </ul>
 */
final class ReaderBench {
    static final String UID = "04A1B2C3";
    private final Path dir;
    private final int taps;
    private final int opens;
    private final long firmwareMicros;

    ReaderBench(Path dir, int taps, int opens, long firmwareMicros) {
        this.dir = dir;
        this.taps = taps;
        this.opens = opens;
        this.firmwareMicros = firmwareMicros;
    }

    void run(Report report) throws Exception {
        Files.createDirectories(dir);
        try (PtyPair pty = PtyPair.startIn(dir);
             Pn532Emulator emu = new Pn532Emulator(pty.device().toString(), 115200)) {
            emu.setTiming(new com.onecard.pos.sim.reader.Pn532Timing(firmwareMicros));
            report.add(driverTap(pty.host(), emu));
            Figure[] openAndList = openAndLibnfc(pty.host(), emu);
            report.add(openAndList[0].against(openAndList[1]).withNote("ratio vs libnfc nfc-list -t 1 (ISO14443A only), same "
                    + "emulator, interleaved; both open, initialise the chip and list one target; libnfc's includes exec"));
            report.add(openAndList[1]);
            report.add(openAndList[2]);
        }
    }

    private Figure driverTap(Path host, Pn532Emulator emu) throws Exception {
        LinkedBlockingQueue<Long> tapped = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Long> removed = new LinkedBlockingQueue<>();
        ReaderListener l = new ReaderListener() {
            @Override
            public void onTap(CardTap tap) {
                tapped.add(System.nanoTime());
            }

            @Override
            public void onRemoved(byte[] uid) {
                removed.add(System.nanoTime());
            }
        };
        emu.remove();
        int warm = Math.max(5, taps / 10);
        double[] s = new double[taps];
        try (ReaderLoop loop = new ReaderLoop(new ReaderConfig("pn532", host.toString(), 115200, null), l, Clock.systemUTC())) {
            loop.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!loop.status().state().name().equals("OK") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            for (int i = -warm; i < taps; i++) {
                // place at a random phase of the poll cycle, as a real hand does
                Thread.sleep(5 + (i & 7));
                long t0 = System.nanoTime();
                emu.place(VirtualCard.blank(UID));
                Long t1 = tapped.poll(5, TimeUnit.SECONDS);
                if (t1 == null) {
                    throw new IOException("no tap reported within 5 s; reader " + loop.status());
                }
                emu.remove();
                if (removed.poll(5, TimeUnit.SECONDS) == null) {
                    throw new IOException("card removal not reported within 5 s");
                }
                if (i >= 0) {
                    s[i] = (t1 - t0) / 1e6;
                }
            }
        }
        return Figure.of("driver_tap_to_uid_ms", s, "ms", null);
    }

    /** [driver_open_to_uid_ms, libnfc_list_14443a_ms, libnfc_exec_ms], the first two interleaved on one emulator. */
    private Figure[] openAndLibnfc(Path host, Pn532Emulator emu) throws Exception {
        emu.place(VirtualCard.blank(UID));
        boolean libnfc = onPath("nfc-list");
        int warm = Math.max(2, opens / 5);
        double[] ours = new double[opens];
        double[] theirs = new double[opens];
        double[] exec = new double[opens];
        for (int i = -warm; i < opens; i++) {
            long t0 = System.nanoTime();
            try (Pn532Driver d = Pn532Driver.open(host.toString(), 115200, null)) {
                CardTap tap = null;
                for (int k = 0; k < 100 && tap == null; k++) {
                    tap = d.poll(null, Instant.now()).orElse(null);
                }
                long t1 = System.nanoTime();
                if (tap == null || !tap.uidHex().equalsIgnoreCase(UID)) {
                    throw new IOException("driver did not read " + UID + " after open (run " + i + ", got " + tap + ")");
                }
                if (i >= 0) {
                    ours[i] = (t1 - t0) / 1e6;
                }
            }
            if (libnfc) {
                double ms = nfcList(host, "-t", "1");
                double ex = nfcList(null, "-h");
                if (i >= 0) {
                    theirs[i] = ms;
                    exec[i] = ex;
                }
            }
        }
        Figure open = Figure.of("driver_open_to_uid_ms", ours, "ms", null);
        if (!libnfc) {
            String why = "not measured: nfc-list (libnfc-bin) not installed";
            return new Figure[]{open, Figure.notMeasured("libnfc_list_14443a_ms", "ms", null, why),
                    Figure.notMeasured("libnfc_exec_ms", "ms", null, why)};
        }
        return new Figure[]{open, Figure.of("libnfc_list_14443a_ms", theirs, "ms", null)
                .withNote("LIBNFC_DEVICE=pn532_uart:<pty>:115200 nfc-list -t 1, from exec to exit"),
                Figure.of("libnfc_exec_ms", exec, "ms", null).withNote("nfc-list -h: exec, load, exit; no device")};
    }

    /** Runs nfc-list with these arguments; with a host port, checks it listed the card. Returns ms from exec to exit. */
    private static double nfcList(Path host, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("nfc-list"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (host != null) {
            pb.environment().put("LIBNFC_DEVICE", "pn532_uart:" + host + ":115200");
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("nfc-list did not finish within 20 s");
        }
        long t1 = System.nanoTime();
        String text = new String(out, StandardCharsets.UTF_8).replaceAll("\\s+", "").toLowerCase();
        if (host != null && !text.contains("uid(nfcid1):" + UID.toLowerCase())) {
            throw new IOException("nfc-list did not report " + UID + ": " + new String(out, StandardCharsets.UTF_8));
        }
        return (t1 - t0) / 1e6;
    }

    static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(":")) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }
}
