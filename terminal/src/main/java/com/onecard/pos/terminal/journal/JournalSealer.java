package com.onecard.pos.terminal.journal;

import com.onecard.pos.sync.proto.JournalRow;

/**
 * Seals journal rows into the MAC chain and checks them. The key behind it is the terminal's
 * journal MAC key; an implementation may keep it in a PKCS#11 token and never hand it out.
 * Implementations are thread-safe: the terminal thread seals while a verifier thread checks.
 */
public interface JournalSealer {
    /** The row with {@code prev_mac} set to {@code prevMac} and {@code mac} computed over both. */
    JournalRow seal(byte[] prevMac, JournalRow row);

    /** True when the row's {@code mac} is right for its content and {@code prevMac} is its {@code prev_mac}. */
    boolean verifies(byte[] prevMac, JournalRow row);

    /**
     * A tag over a verified point of the chain (row {@code seq} has MAC {@code rowMac}), under the
     * same key and domain-separated from row MACs, so a checkpoint cannot be moved or forged
     * without the key.
     */
    byte[] checkpointTag(long seq, byte[] rowMac);

    /**
     * The key's check value (6 hex digits, {@link com.onecard.pos.sync.keys.KeyCheckValue}): which
     * key this is, without revealing it, so that a wrong key is not taken for an edited row.
     */
    String keyCheckValue();
}
