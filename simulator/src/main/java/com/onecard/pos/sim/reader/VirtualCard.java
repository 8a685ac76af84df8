package com.onecard.pos.sim.reader;

import com.onecard.pos.issuer.CardIssuer;
import com.onecard.pos.reader.card.CardData;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A MIFARE Classic 1K card in memory: UID, ATQA 0x0004, SAK 0x08, 64 blocks of 16 bytes,
 * 16 sectors whose trailers hold the keys that authentication is checked against.
 * Thread-safe: the emulator thread reads it while a test may write.
 */
public final class VirtualCard {
    public static final int ATQA = 0x0004;
    public static final int SAK = 0x08;
    private static final byte[] DEFAULT_KEY = {-1, -1, -1, -1, -1, -1};
    /** Factory access bits FF 07 80 69: key A or B reads and writes everything. */
    private static final byte[] DEFAULT_ACCESS = {(byte) 0xFF, 0x07, (byte) 0x80, 0x69};

    private final byte[] uid;
    private final byte[][] blocks = new byte[64][16];

    private VirtualCard(byte[] uid) {
        if (uid.length != 4 && uid.length != 7 && uid.length != 10) {
            throw new IllegalArgumentException("UID must be 4, 7 or 10 bytes, got " + uid.length);
        }
        this.uid = uid.clone();
        System.arraycopy(uid, 0, blocks[0], 0, Math.min(uid.length, 10));
        if (uid.length == 4) {
            blocks[0][4] = (byte) (uid[0] ^ uid[1] ^ uid[2] ^ uid[3]);
        }
        for (int sector = 0; sector < 16; sector++) {
            byte[] t = blocks[sector * 4 + 3];
            System.arraycopy(DEFAULT_KEY, 0, t, 0, 6);
            System.arraycopy(DEFAULT_ACCESS, 0, t, 6, 4);
            System.arraycopy(DEFAULT_KEY, 0, t, 10, 6);
        }
    }

    /** A blank card (or a bare UID clone of a campus card): every sector on the default keys FF..FF. */
    public static VirtualCard blank(byte[] uid) {
        return new VirtualCard(uid);
    }

    public static VirtualCard blank(String uidHex) {
        return blank(HexFormat.of().parseHex(uidHex));
    }

    /** A card written by the issuer's desk: the campus blocks and trailers of {@code sectors}. */
    public static VirtualCard campus(byte[] uid, CardIssuer.Sectors sectors) {
        VirtualCard c = new VirtualCard(uid);
        sectors.blocks().forEach((block, data) -> c.blocks[block] = data.clone());
        return c;
    }

    /** A layout-2 card issued today by {@code issuer}. */
    public static VirtualCard campus(byte[] uid, CardIssuer issuer, CardData data) {
        return campus(uid, issuer.issue(uid, data, java.time.LocalDate.now()));
    }

    public static VirtualCard campus(String uidHex, CardIssuer issuer, CardData data) {
        return campus(HexFormat.of().parseHex(uidHex), issuer, data);
    }

    public byte[] uid() {
        return uid.clone();
    }

    public String uidHex() {
        return HexFormat.of().withUpperCase().formatHex(uid);
    }

    public synchronized byte[] block(int block) {
        return blocks[block].clone();
    }

    public synchronized void writeBlock(int block, byte[] data) {
        if (data.length != 16) {
            throw new IllegalArgumentException("a block is 16 bytes");
        }
        blocks[block] = data.clone();
    }

    /** Whether {@code key} opens the sector of {@code block} as key A or key B. */
    public synchronized boolean keyMatches(int block, boolean keyB, byte[] key) {
        if (block < 0 || block >= 64) {
            return false;
        }
        byte[] trailer = blocks[(block / 4) * 4 + 3];
        return Arrays.equals(trailer, keyB ? 10 : 0, keyB ? 16 : 6, key, 0, 6);
    }

    /** The 4 bytes used in authentication: the last 4 of the UID. */
    byte[] authUid() {
        return Arrays.copyOfRange(uid, uid.length - 4, uid.length);
    }

    @Override
    public String toString() {
        return "VirtualCard[" + uidHex() + "]";
    }
}
