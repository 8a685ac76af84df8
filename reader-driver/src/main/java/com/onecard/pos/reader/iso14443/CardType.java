package com.onecard.pos.reader.iso14443;

import java.util.ArrayList;
import java.util.List;

/**
 * Names an ISO/IEC 14443 type A card from its ATQA (SENS_RES) and SAK (SEL_RES), the way NXP's
 * application note AN10833 "MIFARE type identification procedure" (rev. 3.x, section 2 and its
 * table of ATQA/SAK values) lists them, plus the second-source chips AN10833 does not cover but
 * that readers meet in the field (Infineon SLE66R35 as MIFARE Classic 1K, SAK 0x88; Gemplus
 * MPCOS, SAK 0x98; as libnfc's nfc-list lists them). ATQA and SAK narrow a card down to a few
 * candidates; telling MIFARE Classic from MIFARE Plus in security level 1, or Ultralight from
 * NTAG, needs a further command (GET_VERSION, RATS) that a campus-card reader does not send.
 * The bits are read as ISO/IEC 14443-3 (ATQA: UID size, anticollision; SAK: cascade bit,
 * 14443-4 and 18092 compliance) and AN10833 (SAK bits 0x08, 0x10, 0x01: MIFARE memory family).
 *
 * <p>SAK and ATQA are always shown in hex ({@code 0x08}, {@code 0x0004}).
 */
public final class CardType {
    /**
     * What ATQA and SAK say.
     *
     * @param name       the most likely product, e.g. "MIFARE Classic 1K"; "unknown ISO/IEC 14443-A card" when none fits
     * @param candidates every product the values fit, most likely first
     * @param uidSize    "single (4 bytes)", "double (7 bytes)", "triple (10 bytes)" from ATQA bits 7-8
     * @param facts      what the SAK and ATQA bits mean for this card
     * @param atqa       ATQA as 4 hex digits
     * @param sak        SAK as 2 hex digits
     */
    public record Identification(String name, List<String> candidates, String uidSize, List<String> facts,
                                 String atqa, String sak) {
        /** One line for a technician: "MIFARE Classic 1K (ATQA 0x0004, SAK 0x08)". */
        public String summary() {
            return name + " (ATQA 0x" + atqa + ", SAK 0x" + sak + ")";
        }
    }

    private CardType() {
    }

    /**
     * Names the card of a tap: an EM4100 tag from a 125 kHz reader (5-byte UID, no ATQA or SAK),
     * else by {@link #identify(int, int)}.
     */
    public static Identification of(com.onecard.pos.reader.CardTap tap) {
        if (tap.uid().length == 5 && tap.atqa() == 0 && tap.sak() == 0) {
            return new Identification("EM4100 125 kHz tag (UID only)", List.of("EM4100 125 kHz tag (UID only)"),
                    "5 bytes (version + tag number)", List.of("125 kHz: no ATQA or SAK, no memory to read"), "0000", "00");
        }
        return identify(tap.atqa(), tap.sak());
    }

    /**
     * @param atqa ATQA as an unsigned 16-bit value, first byte (as sent) in the high byte: 0x0004 for a MIFARE Classic 1K
     * @param sak  SAK, 0..255
     */
    public static Identification identify(int atqa, int sak) {
        atqa &= 0xFFFF;
        sak &= 0xFF;
        List<String> names = new ArrayList<>();
        int uidBits = (atqa >> 6) & 0x03;
        boolean dbl = uidBits == 1;
        int lowAtqa = atqa & 0xFF0F;
        switch (sak) {
            case 0x00 -> {
                if (atqa == 0x0044) {
                    names.add("MIFARE Ultralight");
                    names.add("MIFARE Ultralight C");
                    names.add("NTAG 21x");
                }
            }
            case 0x08 -> {
                if (lowAtqa == 0x0004 || lowAtqa == 0x0044) {
                    names.add("MIFARE Classic 1K" + (dbl ? " (7-byte UID)" : ""));
                    names.add("MIFARE Plus 2K in security level 1" + (dbl ? " (7-byte UID)" : ""));
                }
            }
            case 0x09 -> {
                if (lowAtqa == 0x0004) {
                    names.add("MIFARE Mini 0.3K");
                }
            }
            case 0x18 -> {
                if (lowAtqa == 0x0002 || lowAtqa == 0x0042) {
                    names.add("MIFARE Classic 4K" + (dbl ? " (7-byte UID)" : ""));
                    names.add("MIFARE Plus 4K in security level 1" + (dbl ? " (7-byte UID)" : ""));
                }
            }
            case 0x10 -> names.add("MIFARE Plus 2K in security level 2");
            case 0x11 -> names.add("MIFARE Plus 4K in security level 2");
            case 0x20 -> {
                if (atqa == 0x0344) {
                    names.add("MIFARE DESFire (EV1/EV2/EV3)");
                } else if (lowAtqa == 0x0004 || lowAtqa == 0x0002 || lowAtqa == 0x0044 || lowAtqa == 0x0042) {
                    names.add("MIFARE Plus 2K/4K in security level 3");
                }
                names.add("ISO/IEC 14443-4 smart card (SmartMX, JCOP, ...)");
            }
            case 0x28 -> names.add("SmartMX with MIFARE Classic 1K emulation");
            case 0x38 -> names.add("SmartMX with MIFARE Classic 4K emulation");
            case 0x01 -> {
                if (atqa == 0x0F01) {
                    names.add("TNP3xxx (MIFARE Classic protocol)");
                }
            }
            case 0x88 -> {
                if (lowAtqa == 0x0004) {
                    names.add("MIFARE Classic 1K by Infineon (SLE66R35, second source)");
                }
            }
            case 0x98 -> {
                if (lowAtqa == 0x0002) {
                    names.add("Gemplus MPCOS (second source, MIFARE Classic 4K protocol)");
                }
            }
            default -> { }
        }
        List<String> facts = new ArrayList<>();
        if ((sak & 0x04) != 0) {
            facts.add("SAK bit 3: UID not complete (cascade level follows)");
        }
        if ((sak & 0x20) != 0) {
            facts.add("SAK bit 6: ISO/IEC 14443-4 compliant");
        }
        if ((sak & 0x40) != 0) {
            facts.add("SAK bit 7: ISO/IEC 18092 (NFC-DEP) compliant");
        }
        if ((sak & 0x18) != 0 && (sak & 0x04) == 0) {
            facts.add("SAK bits 4-5: MIFARE Classic memory (" + ((sak & 0x10) != 0 ? "4K" : (sak & 0x01) != 0 ? "Mini" : "1K")
                    + " family, AN10833)");
        }
        if ((atqa & 0x1F) == 0) {
            facts.add("ATQA: no bit frame anticollision (proprietary)");
        }
        String uidSize = switch (uidBits) {
            case 0 -> "single (4 bytes)";
            case 1 -> "double (7 bytes)";
            case 2 -> "triple (10 bytes)";
            default -> "RFU (ATQA bits 7-8 = 11)";
        };
        String name = names.isEmpty()
                ? ((sak & 0x20) != 0 ? "ISO/IEC 14443-4 smart card" : "unknown ISO/IEC 14443-A card")
                : names.get(0);
        return new Identification(name, List.copyOf(names), uidSize, List.copyOf(facts),
                String.format("%04X", atqa), String.format("%02X", sak));
    }
}
