package com.onecard.pos.reader.pn532;

import java.util.Arrays;

/**
 * A card selected by InListPassiveTarget at 106 kbps type A.
 *
 * @param tg   logical target number the chip assigned (1)
 * @param atqa SENS_RES, first byte high
 * @param sak  SEL_RES
 * @param uid  NFCID1 (4, 7 or 10 bytes)
 */
public record Pn532Target(int tg, int atqa, int sak, byte[] uid) {

    /** The 4 UID bytes MIFARE Classic authentication uses: the last 4 for 7- and 10-byte UIDs. */
    public byte[] authUid() {
        return Arrays.copyOfRange(uid, uid.length - 4, uid.length);
    }

    /** Parses the data of an InListPassiveTarget response (after D5 4B); null when no target. */
    static Pn532Target parse(byte[] body) throws Pn532Exception {
        if (body.length < 1 || body[0] == 0) {
            return null;
        }
        if (body.length < 6) {
            throw new Pn532Exception("InListPassiveTarget response too short: " + body.length + " bytes");
        }
        int uidLen = body[5] & 0xFF;
        if (uidLen == 0 || body.length < 6 + uidLen) {
            throw new Pn532Exception("InListPassiveTarget response has a bad UID length " + uidLen);
        }
        return new Pn532Target(body[1] & 0xFF, (body[2] & 0xFF) << 8 | (body[3] & 0xFF), body[4] & 0xFF,
                Arrays.copyOfRange(body, 6, 6 + uidLen));
    }
}
