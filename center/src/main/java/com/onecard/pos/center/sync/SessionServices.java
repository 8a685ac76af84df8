package com.onecard.pos.center.sync;

import com.onecard.pos.center.feed.Subscribers;
import com.onecard.pos.center.ledger.Holds;
import com.onecard.pos.center.ledger.Ingest;
import com.onecard.pos.center.ledger.OnlineAuthorization;
import com.onecard.pos.center.ledger.QrPayments;
import com.onecard.pos.center.ledger.Replay;
import com.onecard.pos.center.ledger.TerminalRegistry;
import io.netty.channel.group.ChannelGroup;

import java.time.Clock;
import java.util.concurrent.ExecutorService;

/**
 * What a terminal session at the center works with; one set shared by every session of an instance.
 *
 * @param pool      the sessions' serial lanes (uploads, opening, replay, QR cancels)
 * @param authPool  online authorizations only, so that no replay or batch queues in front of one
 * @param pushLimit downstream changes a session may have waiting before it is closed
 * @param replaySlots how many sessions of this instance replay at once
 * @param replayPace  how fast they replay, together
 */
record SessionServices(TerminalRegistry terminals, Ingest ingest, OnlineAuthorization authorization, Holds holds,
                       Replay replay, QrPayments qr, Subscribers subscribers, ExecutorService pool,
                       ExecutorService authPool, ChannelGroup sessions, Clock clock, int pushLimit,
                       ReplaySlots replaySlots, ReplayPace replayPace) {
}
