package com.onecard.pos.terminal.store;

/**
 * What the cache knows of one account: the center's last authoritative purses and up to which
 * of this terminal's journal sequences they include ({@code appliedSeq}).
 */
public record Account(long accountId, byte[] cardUid, long cardSerial, String holder, CardStatus status,
                      long subsidyFen, long cashFen, long version, long appliedSeq, String pinVerifier,
                      int expiresDay) {
}
