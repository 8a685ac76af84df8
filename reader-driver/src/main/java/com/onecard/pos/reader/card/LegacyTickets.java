package com.onecard.pos.reader.card;

import java.util.Optional;

/**
 * Where the reader finds the ticket of a layout-1 card (the terminal's account cache, filled by
 * the card center). Called on the reader thread; must not block for long.
 */
public interface LegacyTickets {
    Optional<LegacyTicket> find(byte[] uid);

    /** No layout-1 card is readable. */
    LegacyTickets NONE = uid -> Optional.empty();
}
