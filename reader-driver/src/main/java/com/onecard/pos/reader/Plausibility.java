package com.onecard.pos.reader;

import java.util.HexFormat;
import java.util.Set;

/**
 * Card identifiers a reader can report that no card has: line noise or a weak field decoded
 * into a frame with a valid checksum. A driver drops them (never a tap), counts them, and the
 * count shows in the reader's status.
 */
public final class Plausibility {
    /**
     * RDM6300 numbers reported with no tag in the field, with valid checksums, in public bug
     * reports against the module (Tasmota issue 9522, esp-rfid issue 411: "000000078F88,
     * 00F00000F000, F000060007F1, B59A99E5A9FA, 4FFB388FFFFC, DA9386B5EA90, DAEF6FEE2B9F"; the
     * 5 data bytes of each, checksum left out).
     */
    static final Set<String> RDM6300_PHANTOMS = Set.of(
            "000000078F", "00F00000F0", "F000060007", "B59A99E5A9", "4FFB388FFF", "DA9386B5EA", "DAEF6FEE2B");
    /** Zero nibbles in a row beyond which an EM4100 number is noise (the phantoms above have 5 and 6). */
    static final int RDM6300_MAX_ZERO_RUN = 5;

    private Plausibility() {
    }

    /**
     * Why an RDM6300 frame's 5 data bytes (version + 4-byte tag number) name no real tag, or null.
     * Refused: a tag number of zero (Tasmota's RDM6300 driver ignores it as a false positive),
     * the phantom numbers of the bug reports, and long runs of zeros (more than
     * {@value #RDM6300_MAX_ZERO_RUN} zero hex digits in a row).
     */
    public static String rdm6300(byte[] data5) {
        if (data5.length != 5) {
            return "not 5 data bytes";
        }
        if ((data5[1] | data5[2] | data5[3] | data5[4]) == 0) {
            return "tag number 0";
        }
        String hex = HexFormat.of().withUpperCase().formatHex(data5);
        if (RDM6300_PHANTOMS.contains(hex)) {
            return "a number the RDM6300 reports with no tag present";
        }
        int run = 0;
        for (int i = 0; i < hex.length(); i++) {
            run = hex.charAt(i) == '0' ? run + 1 : 0;
            if (run > RDM6300_MAX_ZERO_RUN) {
                return "a run of " + run + " zero digits";
            }
        }
        return null;
    }

    /**
     * Why an ISO/IEC 14443-A UID cannot belong to a card, or null: a length other than 4, 7 or
     * 10 bytes; all bytes 0x00 or all 0xFF; a 4-byte UID starting with 0x88, the cascade tag
     * that ISO/IEC 14443-3 (6.5.4) forbids as the first byte of a single-size UID.
     */
    public static String iso14443a(byte[] uid) {
        if (uid.length != 4 && uid.length != 7 && uid.length != 10) {
            return "UID of " + uid.length + " bytes (4, 7 or 10 exist)";
        }
        boolean zeros = true;
        boolean ones = true;
        for (byte b : uid) {
            zeros &= b == 0;
            ones &= b == (byte) 0xFF;
        }
        if (zeros || ones) {
            return "UID of all " + (zeros ? "00" : "FF");
        }
        if (uid.length == 4 && (uid[0] & 0xFF) == 0x88) {
            return "single-size UID starting with the cascade tag 0x88";
        }
        return null;
    }
}
