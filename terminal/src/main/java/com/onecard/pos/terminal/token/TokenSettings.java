package com.onecard.pos.terminal.token;

import java.nio.file.Path;

/**
 * Where the terminal's PKCS#11 token is and how to log in to it.
 *
 * @param library   the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so} (SoftHSM2 in
 *                  development and the simulator) or a secure element's or SAM's module in the field
 * @param slot      the slot id, or -1 to take the slot at {@code slotIndex}
 * @param slotIndex index in the list of slots with a token (0 with one token per SoftHSM2 folder)
 * @param pinFile   the file holding the user PIN, readable by its owner only
 */
public record TokenSettings(Path library, long slot, int slotIndex, Path pinFile) {
}
