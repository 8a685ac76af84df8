package com.onecard.pos.bench.micro;

import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.qr.CampusQrRequest;
import com.onecard.pos.qr.EmvPayload;
import com.onecard.pos.qr.EmvQrParser;
import com.onecard.pos.qr.QrFormatException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Instant;
import java.util.SplittableRandom;

/** EMVCo merchant-presented payload: build (with token and MAC) and parse (with CRC check). */
@State(Scope.Thread)
public class EmvPayloadBench {
    private final CampusQr qr = new CampusQr();
    private final byte[] key = new byte[32];
    private final Instant expiry = Instant.parse("2030-01-01T12:00:00Z");
    private final SplittableRandom random = new SplittableRandom(42);
    private String payload;
    private int n;

    @Setup
    public void setUp() {
        payload = build();
    }

    @Benchmark
    public String buildWithMac() {
        return build();
    }

    @Benchmark
    public EmvPayload parse() throws QrFormatException {
        return EmvQrParser.parse(payload);
    }

    private String build() {
        n++;
        return qr.create(new CampusQrRequest("T01", "N01", "North canteen window 1", "T01-" + n, 1250,
                "NORTH CANTEEN", "BEIJING", "北区食堂", "北京", expiry, key, random));
    }
}
