package com.onecard.pos.sim;

/**
 * One simulated student and the card in their hand.
 *
 * @param kind how the scenario set this card up: a normal card, one with too little money,
 *             one the center never issued, one reported lost, or a bare-UID copy of another card
 */
public record Student(long accountId, String name, byte[] uid, long cardSerial, long subsidyFen, long cashFen,
                      Kind kind, String password) {

    public enum Kind { NORMAL, POOR, UNKNOWN, LOST, CLONE }

    public String uidHex() {
        return java.util.HexFormat.of().withUpperCase().formatHex(uid);
    }

    public long balanceFen() {
        return subsidyFen + cashFen;
    }
}
