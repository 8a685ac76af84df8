package com.onecard.pos.sim;

/**
 * One simulated student and the card in their hand.
 *
 * @param kind       how the scenario set this card up: a normal card, one with too little money,
 *                   one the center never issued, one reported lost, or a bare-UID copy of another card
 * @param password   the card password the student chose (6 digits)
 * @param nationalId the 18-character national ID number (GB 11643), from which the default
 *                   card password forms derive (its last 6 digits, a final X as 0)
 */
public record Student(long accountId, String name, byte[] uid, long cardSerial, long subsidyFen, long cashFen,
                      Kind kind, String password, String nationalId) {

    public enum Kind { NORMAL, POOR, UNKNOWN, LOST, CLONE }

    public String uidHex() {
        return java.util.HexFormat.of().withUpperCase().formatHex(uid);
    }

    public long balanceFen() {
        return subsidyFen + cashFen;
    }

    /** The student number: the unified identity's user name. */
    public String studentNumber() {
        return Long.toString(accountId);
    }

    /** The student's mobile number (made up from the account, unique per student). */
    public String phone() {
        return "139" + String.format("%08d", accountId % 100_000_000L);
    }

    /** A made-up national ID number on file at the card office; its last six digits are the initial password. */
    public String nationalId() {
        return "1101052004" + String.format("%08d", accountId % 100_000_000L);
    }

    public String initialPassword() {
        String id = nationalId();
        return id.substring(id.length() - 6);
    }

    /** The login password the student sets at the first login. */
    public String appPassword() {
        return "Canteen" + accountId;
    }
}
