package com.onecard.pos.sync.client;

import java.time.Instant;

/**
 * A snapshot of the link for the status bar and posctl.
 *
 * @param connected     a session is open (Welcome received)
 * @param lastContact   when anything was last read from the center; null before the first contact
 * @param clockOffsetMs center clock minus terminal clock, from heartbeat echoes
 * @param reconnects    connection attempts after the first one
 * @param journalAlarm  null, or why uploads stopped because this journal and the center's record of it
 *                      disagree (a Welcome above the journal's last seq, or JOURNAL_DIVERGED): sales go on
 *                      offline and nothing is marked acknowledged until an operator re-seats the terminal
 */
public record SyncStatus(boolean connected, long lastAckedSeq, long lastSentSeq, String lastError,
                         Instant lastContact, long clockOffsetMs, long reconnects, String journalAlarm) {
}
