package com.onecard.pos.terminal.store;

import com.onecard.pos.sync.journal.JournalMac;

import java.util.HexFormat;

/**
 * A verified point of the journal's MAC chain: row {@code seq} has MAC {@code mac}. Verification
 * goes on from here; seq 0 with the genesis MAC is the start of a journal.
 */
public record ChainPoint(long seq, byte[] mac) {
    public ChainPoint {
        mac = mac.clone();
    }

    public static ChainPoint genesis() {
        return new ChainPoint(0, JournalMac.genesis());
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public String toString() {
        return "seq " + seq + " mac " + HexFormat.of().formatHex(mac, 0, 4) + "…";
    }
}
