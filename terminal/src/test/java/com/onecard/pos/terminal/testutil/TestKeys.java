package com.onecard.pos.terminal.testutil;

import com.onecard.pos.sync.keys.TerminalKeySchedule;
import com.onecard.pos.terminal.token.TerminalKeys;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.util.HexFormat;
import java.util.Map;

/**
 * Keys for tests that run the daemon's parts in this JVM: the same key schedule as a provisioned
 * token, held in memory. Tests of the token itself and of the daemon as a process use a real
 * SoftHSM2 token ({@code ProvisionedTerminal}).
 */
public final class TestKeys {
    public static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    private TestKeys() {
    }

    public static SecretKey mac(byte[] key) {
        return new SecretKeySpec(key, "HmacSHA256");
    }

    /** Journal and QR keys of terminal {@code id} with {@link #SECRET}; no card keys, TLS from files. */
    public static TerminalKeys inMemory(String id) {
        return new TerminalKeys(mac(TerminalKeySchedule.journalKey(SECRET)), mac(TerminalKeySchedule.qrKey(SECRET, id)),
                null, Map.of(), null);
    }
}
