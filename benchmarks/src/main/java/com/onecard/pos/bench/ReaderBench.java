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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The reader path on the PN532 emulator at 115200 baud over a socat pty pair.
 * <ul>
 * <li>driver_tap_to_uid_ms: ReaderLoop polling; card placed on the emulator → onTap called.</li>
 * <li>driver_open_to_uid_ms: card already present; Pn532Driver.open (port open + chip init) → first
 * poll returns the UID. In-process, warm JVM.</li>
 * <li>libnfc_tap_to_uid_ms: card already present; exec nfc-list (LIBNFC_DEVICE=pn532_uart:pty) →
 * process exits having printed the UID. Includes exec, libnfc load, port open, chip init, list.</li>
 * </ul>
 */
final class ReaderBench {
    static final String UID = "04A1B2C3";
    private final Path dir;
    private final int taps;
    private final int opens;

    ReaderBench(Path dir, int taps, int opens) {
        this.dir = dir;
        this.taps = taps;
        this.opens = opens;
    }

    void run(Report report) throws Exception {
        Files.createDirectories(dir);
        Figure tap;
        Figure open;
        Figure libnfc;
        try (PtyPair pty = PtyPair.startIn(dir);
             Pn532Emulator emu = new Pn532Emulator(pty.device().toString(), 115200)) {
            tap = driverTap(pty.host(), emu);
            open = driverOpen(pty.host(), emu);
        }
        // A fresh chip for libnfc: after nfc-list has closed the device (RF off, power-down), our
        // driver no longer sees the card on the same emulator, so libnfc runs last, on its own pair.
        try (PtyPair pty = PtyPair.startIn(dir);
             Pn532Emulator emu = new Pn532Emulator(pty.device().toString(), 115200)) {
            libnfc = libnfc(pty.host(), emu);
        }
        {
            report.add(tap.against(libnfc).withNote("ratio vs libnfc (nfc-list incl. exec+open+init): not like-for-like"));
            report.add(open.against(libnfc).withNote("ratio vs libnfc: like-for-like open+init+list, minus exec"));
            report.add(libnfc);
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

    private Figure driverOpen(Path host, Pn532Emulator emu) throws Exception {
        emu.place(VirtualCard.blank(UID));
        int warm = Math.max(2, opens / 5);
        double[] s = new double[opens];
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
                    s[i] = (t1 - t0) / 1e6;
                }
            }
        }
        return Figure.of("driver_open_to_uid_ms", s, "ms", null);
    }

    private Figure libnfc(Path host, Pn532Emulator emu) throws Exception {
        if (!onPath("nfc-list")) {
            return Figure.notMeasured("libnfc_tap_to_uid_ms", "ms", null, "not measured: nfc-list (libnfc-bin) not installed");
        }
        emu.place(VirtualCard.blank(UID));
        int warm = 2;
        double[] s = new double[opens];
        for (int i = -warm; i < opens; i++) {
            ProcessBuilder pb = new ProcessBuilder("nfc-list").redirectErrorStream(true);
            pb.environment().put("LIBNFC_DEVICE", "pn532_uart:" + host + ":115200");
            long t0 = System.nanoTime();
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("nfc-list did not finish within 20 s");
            }
            long t1 = System.nanoTime();
            String text = new String(out, StandardCharsets.UTF_8).replaceAll("\\s+", "").toLowerCase();
            if (!text.contains("uid(nfcid1):" + UID.toLowerCase())) {
                throw new IOException("nfc-list did not report " + UID + ": " + new String(out, StandardCharsets.UTF_8));
            }
            if (i >= 0) {
                s[i] = (t1 - t0) / 1e6;
            }
        }
        return Figure.of("libnfc_tap_to_uid_ms", s, "ms", null);
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
