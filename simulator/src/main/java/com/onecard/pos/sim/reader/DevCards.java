package com.onecard.pos.sim.reader;

import com.onecard.pos.issuer.CardIssuer;
import com.onecard.pos.issuer.IssuerKeys;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.card.LegacyTickets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * An issuer's desk for the emulator and reader tests, and the reader side of it: cards issued by
 * {@code issuer}, read and checked by {@code reader} with only what a terminal holds (the key-A
 * derivation key and the public key). A terminal provisioned from the same desk folder
 * ({@code scripts/provision --dir DIR} uses DIR/issuer) reads the same cards.
 */
public record DevCards(CardIssuer issuer, CampusCard reader) {
    /** The desk in {@code dir}, created when missing. */
    public static DevCards at(Path dir) throws IOException {
        IssuerKeys k = IssuerKeys.init(dir);
        return new DevCards(new CardIssuer(k), new CampusCard(k.keyADerivation(), Map.of(k.keyId(), k.publicKey()), LegacyTickets.NONE));
    }
}
