package com.onecard.pos.terminal.token;

import com.onecard.pos.sync.keys.KeyCheckValue;

import java.nio.file.Path;

/**
 * Opens a key token in a JVM of its own (SoftHSM2 reads SOFTHSM2_CONF once per process) and
 * prints what a test checks: each key's check value, whether its value can be read, and whether
 * the TLS identity is there. Args: library slot pin-file.
 */
public final class TokenProbe {
    private TokenProbe() {
    }

    public static void main(String[] args) throws Exception {
        try {
            KeyToken t = KeyToken.open(new TokenSettings(Path.of(args[0]), Long.parseLong(args[1]), 0, Path.of(args[2])));
            for (String label : new String[]{KeyToken.JOURNAL_MAC, KeyToken.QR_MAC, KeyToken.CARD_KEY_A}) {
                var k = t.secretKey(label, label);
                System.out.println(label + " kcv=" + KeyCheckValue.of(k) + " readable=" + (k.getEncoded() != null));
            }
            t.tlsIdentity();
            System.out.println("tls ok");
        } catch (TokenException e) {
            System.out.println("token error " + e.kind() + ": " + e.getMessage());
        }
    }
}
