package com.onecard.pos.sync;

/**
 * Optional protocol features a terminal lists in its Hello ({@code Hello.features}) and the center
 * echoes in its Welcome when it will use them (docs/protocol.md §4). A center uses a feature only
 * with a terminal that listed it, so terminals of older firmware (which list none) get the
 * messages of schema version 1 unchanged.
 */
public final class SyncFeatures {
    /**
     * The terminal takes {@code Envelope.downstream_batch}: several Downstream changes in one frame,
     * each applied and acknowledged as if it had come alone.
     */
    public static final String DOWNSTREAM_BATCH = "downstream_batch";

    private SyncFeatures() {
    }
}
