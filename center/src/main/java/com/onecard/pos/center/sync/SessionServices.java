package com.onecard.pos.center.sync;

import com.onecard.pos.center.feed.Subscribers;
import com.onecard.pos.center.ledger.Ingest;
import com.onecard.pos.center.ledger.OnlineAuthorization;
import com.onecard.pos.center.ledger.QrPayments;
import com.onecard.pos.center.ledger.Replay;
import com.onecard.pos.center.ledger.StreamReads;
import com.onecard.pos.center.ledger.TerminalRegistry;
import io.netty.channel.group.ChannelGroup;

import java.time.Clock;
import java.util.concurrent.ExecutorService;

/** What a terminal session at the center works with; one set shared by every session of an instance. */
record SessionServices(TerminalRegistry terminals, Ingest ingest, OnlineAuthorization authorization, Replay replay,
                       StreamReads reads, QrPayments qr, Subscribers subscribers, ExecutorService pool,
                       ChannelGroup sessions, Clock clock) {
}
