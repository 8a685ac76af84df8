package com.onecard.pos.sim.reader;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code scripts/emulate-reader --driver rdm6300|scanner}: the cheaper readers on a fresh pty
 * pair, driven from stdin. Ctrl-C stops the emulator and socat.
 */
final class EmulateOtherReaders {
    private EmulateOtherReaders() {
    }

    /** RDM6300: Enter places the next tag, Enter again removes it. */
    static void rdm6300(String[] args) throws Exception {
        Path dir = Path.of("/tmp/onecard-pos");
        int baud = 9600;
        List<byte[]> tags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(value(args, ++i));
                case "--baud" -> baud = Integer.parseInt(value(args, ++i));
                case "--tag" -> tags.add(HexFormat.of().parseHex(value(args, ++i)));
                default -> throw new IllegalArgumentException("unknown option for --driver rdm6300: " + args[i]);
            }
        }
        if (tags.isEmpty()) {
            tags.add(HexFormat.of().parseHex("307E4DE5C2"));
        }
        PtyPair pair = PtyPair.start(dir.resolve("reader"), dir.resolve("rdm6300"));
        Rdm6300Emulator emulator = new Rdm6300Emulator(pair.device().toString(), baud);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.stop();
            pair.close();
        }, "emulate-reader-shutdown"));
        System.out.println("RDM6300 emulator at " + baud + " baud");
        System.out.println("connect the reader to: " + pair.host().toAbsolutePath() + " (reader.driver=rdm6300, reader.baud=" + baud + ")");
        System.out.println("Enter places/removes the next tag");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int next = 0;
        boolean placed = false;
        while (in.readLine() != null) {
            if (placed) {
                emulator.remove();
                System.out.println("removed");
            } else {
                emulator.place(tags.get(next));
                System.out.println("placed " + HexFormat.of().withUpperCase().formatHex(tags.get(next)));
                next = (next + 1) % tags.size();
            }
            placed = !placed;
        }
        Thread.currentThread().join();
    }

    /** Scanner: each line typed is scanned as a code ending in CRLF (or none with --no-terminator). */
    static void scanner(String[] args) throws Exception {
        Path dir = Path.of("/tmp/onecard-pos");
        int baud = 9600;
        ScannerEmulator.Terminator terminator = ScannerEmulator.Terminator.CRLF;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(value(args, ++i));
                case "--baud" -> baud = Integer.parseInt(value(args, ++i));
                case "--no-terminator" -> terminator = ScannerEmulator.Terminator.NONE;
                default -> throw new IllegalArgumentException("unknown option for --driver scanner: " + args[i]);
            }
        }
        PtyPair pair = PtyPair.start(dir.resolve("scanner"), dir.resolve("scanner-dev"));
        ScannerEmulator emulator = new ScannerEmulator(pair.device().toString(), baud);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            pair.close();
        }, "emulate-reader-shutdown"));
        System.out.println("QR/barcode scanner emulator at " + baud + " baud, terminator " + terminator);
        System.out.println("connect the scanner to: " + pair.host());
        System.out.println("each line typed is scanned as one code");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (!line.isEmpty()) {
                emulator.scan(line, terminator);
                System.out.println("scanned " + line.length() + " chars");
            }
        }
        Thread.currentThread().join();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
