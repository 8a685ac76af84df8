package com.onecard.pos.reader.card;

/**
 * What the campus sector of a card says (see docs/card-layout.md).
 *
 * @param accountId   account number, unsigned 32-bit
 * @param cardSerial  serial of this physical card for the account (a reissued card gets a new one)
 * @param expiresDay  epoch day after which the card is expired; 0 = never
 */
public record CardData(long accountId, long cardSerial, int expiresDay) {
}
