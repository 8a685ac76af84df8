package com.onecard.pos.reader;

import java.time.Instant;
import java.util.HexFormat;

/**
 * One presentation of a card on a reader: reported once when the card arrives, never again
 * while it stays on the reader.
 *
 * @param uid        card UID (4, 7 or 10 bytes; 5 bytes for EM4100 tags)
 * @param atqa       SENS_RES (ATQA) as an unsigned 16-bit value; 0 for 125 kHz tags
 * @param sak        SEL_RES (SAK); 0x08 = MIFARE Classic 1K
 * @param campusRead outcome of reading the campus sector
 * @param campusData what was read of the campus sectors when campusRead is OK, else empty: layout 2,
 *                   block 4 then the signature blocks 5, 6, 8, 9 (80 bytes), or block 4 alone for a
 *                   card verified before (16 bytes); layout 1, blocks 4 and 5 (32 bytes)
 * @param at         when the card was seen
 */
public record CardTap(byte[] uid, int atqa, int sak, CampusRead campusRead, byte[] campusData, Instant at) {

    public enum CampusRead {
        /** The campus blocks were read after authenticating with the card's key A. */
        OK,
        /** The diversified key was refused by the card: a clone, a foreign card or a wrong key. */
        AUTH_FAILED,
        /** Authenticated, but the block read failed (card moved away, RF error). */
        READ_FAILED,
        /** The reader cannot read sectors (UID-only reader) or no key was configured. */
        NOT_ATTEMPTED
    }

    public String uidHex() {
        return HexFormat.of().withUpperCase().formatHex(uid);
    }
}
