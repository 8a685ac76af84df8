package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.pn532.Pn532Frame;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The PN532's command logic with one antenna, no I/O: a command frame in, a response frame
 * out. Covers what our driver and libnfc's pn532_uart driver send. Used by one thread.
 */
final class Pn532Chip {
    private static final byte[] FIRMWARE = {0x32, 0x01, 0x06, 0x07};
    private static final int ST_OK = 0x00;
    private static final int ST_TIMEOUT = 0x01;
    private static final int ST_AUTH = 0x14;
    private static final int ST_NOT_ACCEPTABLE = 0x27;

    private volatile VirtualCard card;
    private VirtualCard selected;
    private int authSector = -1;
    private boolean halted;
    private boolean asleep = true;
    private boolean rfOn = true;
    private final Map<Integer, Integer> registers = new HashMap<>();

    void place(VirtualCard c) {
        card = c;
    }

    VirtualCard card() {
        return card;
    }

    boolean asleep() {
        return asleep;
    }

    /** MxRtyPassiveActivation (RFConfiguration item 05, UM0701-02 §7.3.1); power-on default 0xFF. */
    private int passiveActivationRetries = 0xFF;

    /**
     * Activation attempts an InListPassiveTarget makes without a card: retries + 1. A card placed
     * during them answers the next attempt (the emulator looks before each). Unbounded when
     * {@link #listensForever()}.
     */
    int activationAttempts() {
        return passiveActivationRetries == 0xFF ? Integer.MAX_VALUE : passiveActivationRetries + 1;
    }

    /** MxRtyPassiveActivation 0xFF: InListPassiveTarget tries until a card answers (UM0701-02 §7.3.1), or the host aborts. */
    boolean listensForever() {
        return passiveActivationRetries == 0xFF;
    }

    /** The HSU line saw a wake-up preamble (0x55). */
    void wake() {
        asleep = false;
    }

    /** Power-on state, e.g. after a replug. */
    void reset() {
        asleep = true;
        selected = null;
        authSector = -1;
        halted = false;
        registers.clear();
        passiveActivationRetries = 0xFF;
    }

    /** @return the response, or null when the chip sleeps and ignores the frame */
    Pn532Frame handle(Pn532Frame cmd) {
        if (asleep) {
            return null;
        }
        int code = cmd.code();
        byte[] p = cmd.body();
        return switch (code) {
            case 0x00 -> Pn532Frame.response(code, p);
            case 0x02 -> Pn532Frame.response(code, FIRMWARE);
            case 0x04 -> Pn532Frame.response(code, (byte) 0, (byte) (rfOn ? 1 : 0), (byte) (selected == null ? 0 : 1),
                    (byte) 0);
            case 0x06 -> readRegisters(p);
            case 0x08 -> writeRegisters(p);
            case 0x12, 0x14 -> Pn532Frame.response(code);
            case 0x16 -> {
                asleep = true;
                yield Pn532Frame.response(code, (byte) 0);
            }
            case 0x32 -> {
                if (p.length >= 2 && p[0] == 0x01) {
                    rfOn = (p[1] & 0x01) != 0;
                }
                if (p.length >= 4 && p[0] == 0x05) {
                    passiveActivationRetries = p[3] & 0xFF;
                }
                yield Pn532Frame.response(code);
            }
            case 0x40 -> Pn532Frame.response(code, exchange(p));
            case 0x44 -> {
                authSector = -1;
                yield Pn532Frame.response(code, (byte) ST_OK);
            }
            case 0x52 -> {
                selected = null;
                authSector = -1;
                yield Pn532Frame.response(code, (byte) ST_OK);
            }
            case 0x4A -> listPassiveTarget(p);
            // InCommunicateThru: libnfc probes for iClass, B' and other cards this field never holds
            case 0x42 -> Pn532Frame.response(code, (byte) ST_TIMEOUT);
            case 0x60 -> autoPoll();
            default -> Pn532Frame.error();
        };
    }

    private Pn532Frame readRegisters(byte[] p) {
        byte[] out = new byte[p.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) registers.getOrDefault(address(p, i * 2), 0).intValue();
        }
        return Pn532Frame.response(0x06, out);
    }

    private Pn532Frame writeRegisters(byte[] p) {
        for (int i = 0; i + 2 < p.length; i += 3) {
            registers.put(address(p, i), p[i + 2] & 0xFF);
        }
        return Pn532Frame.response(0x08);
    }

    private static int address(byte[] p, int i) {
        return (p[i] & 0xFF) << 8 | (p[i + 1] & 0xFF);
    }

    private Pn532Frame listPassiveTarget(byte[] p) {
        VirtualCard c = card;
        // only 106 kbps type A cards exist in this field; RF off means nothing answers
        if (p.length < 2 || p[1] != 0x00 || c == null || !rfOn) {
            return Pn532Frame.response(0x4A, (byte) 0);
        }
        // the chip wakes halted cards too (WUPA), so a failed authentication is undone here
        selected = c;
        authSector = -1;
        halted = false;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.writeBytes(targetData(c));
        return Pn532Frame.response(0x4A, out.toByteArray());
    }

    private Pn532Frame autoPoll() {
        VirtualCard c = card;
        if (c == null || !rfOn) {
            return Pn532Frame.response(0x60, (byte) 0);
        }
        selected = c;
        authSector = -1;
        halted = false;
        byte[] td = targetData(c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(0x10);
        out.write(td.length);
        out.writeBytes(td);
        return Pn532Frame.response(0x60, out.toByteArray());
    }

    private static byte[] targetData(VirtualCard c) {
        byte[] uid = c.uid();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(VirtualCard.ATQA >> 8);
        out.write(VirtualCard.ATQA & 0xFF);
        out.write(VirtualCard.SAK);
        out.write(uid.length);
        out.writeBytes(uid);
        return out.toByteArray();
    }

    /** InDataExchange with MIFARE Classic: status byte followed by the card's answer. */
    private byte[] exchange(byte[] p) {
        if (p.length < 2 || p[0] != 1 || selected == null) {
            return new byte[]{ST_NOT_ACCEPTABLE};
        }
        if (selected != card || halted) {
            return new byte[]{ST_TIMEOUT};
        }
        int cmd = p[1] & 0xFF;
        int block = p.length > 2 ? p[2] & 0xFF : -1;
        if (block < 0 || block >= 64) {
            return new byte[]{ST_NOT_ACCEPTABLE};
        }
        switch (cmd) {
            case 0x60, 0x61 -> {
                if (p.length < 13) {
                    return new byte[]{ST_NOT_ACCEPTABLE};
                }
                byte[] key = Arrays.copyOfRange(p, 3, 9);
                byte[] uid4 = Arrays.copyOfRange(p, 9, 13);
                if (Arrays.equals(uid4, selected.authUid()) && selected.keyMatches(block, cmd == 0x61, key)) {
                    authSector = block / 4;
                    return new byte[]{ST_OK};
                }
                halted = true;
                authSector = -1;
                return new byte[]{ST_AUTH};
            }
            case 0x30 -> {
                if (authSector != block / 4) {
                    halted = true;
                    return new byte[]{ST_TIMEOUT};
                }
                byte[] data = selected.block(block);
                if (block % 4 == 3) {
                    // key A never reads back from a trailer
                    Arrays.fill(data, 0, 6, (byte) 0);
                }
                byte[] out = new byte[17];
                System.arraycopy(data, 0, out, 1, 16);
                return out;
            }
            case 0xA0 -> {
                if (authSector != block / 4 || p.length < 19) {
                    return new byte[]{ST_TIMEOUT};
                }
                selected.writeBlock(block, Arrays.copyOfRange(p, 3, 19));
                return new byte[]{ST_OK};
            }
            default -> {
                return new byte[]{ST_NOT_ACCEPTABLE};
            }
        }
    }
}
