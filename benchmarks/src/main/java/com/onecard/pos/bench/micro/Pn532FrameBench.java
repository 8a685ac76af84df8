package com.onecard.pos.bench.micro;

import com.onecard.pos.reader.pn532.Pn532Frame;
import com.onecard.pos.reader.pn532.Pn532FrameDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;

/** PN532 HSU framing: encode InListPassiveTarget, decode its response (ACK + data frame). */
@State(Scope.Thread)
public class Pn532FrameBench {
    private byte[] wire;
    private Pn532FrameDecoder decoder;

    @Setup
    public void setUp() {
        byte[] ack = Pn532Frame.ack().encode();
        // one ISO14443A target: Tg, SENS_RES, SEL_RES, NFCID length, 4-byte UID
        byte[] data = Pn532Frame.response(0x4A, (byte) 1, (byte) 1, (byte) 0x00, (byte) 0x04, (byte) 0x08, (byte) 4,
                (byte) 0x04, (byte) 0xA1, (byte) 0xB2, (byte) 0xC3).encode();
        wire = new byte[ack.length + data.length];
        System.arraycopy(ack, 0, wire, 0, ack.length);
        System.arraycopy(data, 0, wire, ack.length, data.length);
        decoder = new Pn532FrameDecoder();
    }

    @Benchmark
    public byte[] encodeInListPassiveTarget() {
        return Pn532Frame.command(0x4A, (byte) 0x01, (byte) 0x00).encode();
    }

    @Benchmark
    public List<Pn532Frame> decodeAckAndTargetResponse() {
        return decoder.feed(wire);
    }
}
