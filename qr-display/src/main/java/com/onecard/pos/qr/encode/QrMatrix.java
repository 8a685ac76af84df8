package com.onecard.pos.qr.encode;

import java.util.BitSet;

/**
 * An encoded QR symbol including its quiet zone: {@code size × size} modules, the outer
 * {@link #quietZone()} modules on each side always light. Immutable.
 */
public final class QrMatrix {
    private final int size;
    private final int quietZone;
    private final BitSet dark;

    QrMatrix(int size, int quietZone, BitSet dark) {
        this.size = size;
        this.quietZone = quietZone;
        this.dark = (BitSet) dark.clone();
    }

    /** Modules per side, quiet zone included. */
    public int size() {
        return size;
    }

    /** Light modules on each side (4, as the QR standard requires). */
    public int quietZone() {
        return quietZone;
    }

    /** True for a dark module; x is the column, y the row, both from the top-left corner. */
    public boolean dark(int x, int y) {
        if (x < 0 || y < 0 || x >= size || y >= size) {
            throw new IndexOutOfBoundsException("module (" + x + "," + y + ") outside " + size + "×" + size);
        }
        return dark.get(y * size + x);
    }
}
