package com.onecard.pos.center;

import com.onecard.pos.center.db.Database;
import com.onecard.pos.center.db.DatabaseConfig;
import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.center.feed.ChangeFeed;
import com.onecard.pos.center.feed.Subscribers;
import com.onecard.pos.center.ledger.Accounts;
import com.onecard.pos.center.ledger.Flags;
import com.onecard.pos.center.ledger.Holds;
import com.onecard.pos.center.ledger.Ingest;
import com.onecard.pos.center.ledger.Messages;
import com.onecard.pos.center.ledger.OnlineAuthorization;
import com.onecard.pos.center.ledger.QrPayments;
import com.onecard.pos.center.ledger.Replay;
import com.onecard.pos.center.ledger.StreamReads;
import com.onecard.pos.center.ledger.StreamVersions;
import com.onecard.pos.center.ledger.TerminalRegistry;

import java.time.Clock;

/**
 * The ledger's aggregates wired on one database and one unit of work, with the change feed
 * that brings committed changes to this instance's subscribers. Wiring only: each aggregate
 * is its own class; this one hands them the database, the clock and each other.
 */
public final class CenterLedger implements AutoCloseable {
    private final Database database;
    private final UnitOfWork uow;
    private final TerminalRegistry terminals;
    private final Accounts accounts;
    private final Messages messages;
    private final Ingest ingest;
    private final OnlineAuthorization authorization;
    private final QrPayments qr;
    private final Holds holds;
    private final Flags flags;
    private final Replay replay;
    private final StreamReads reads;
    private final Subscribers subscribers = new Subscribers();
    private ChangeFeed feed;

    private CenterLedger(Database database, Clock clock, LedgerPolicy policy) {
        this.database = database;
        this.uow = new UnitOfWork(database, new StreamVersions());
        this.terminals = new TerminalRegistry(uow);
        this.accounts = new Accounts(uow, clock);
        this.messages = new Messages(uow, clock);
        this.ingest = new Ingest(uow, clock, policy.reversalWindow());
        this.authorization = new OnlineAuthorization(uow, clock, policy.holdFor());
        this.holds = new Holds(uow, clock);
        this.flags = new Flags(uow);
        this.qr = new QrPayments(uow, clock);
        this.replay = new Replay(uow);
        this.reads = new StreamReads(uow);
    }

    /** Opens (and migrates) the database; the feed is not started. */
    public static CenterLedger open(DatabaseConfig config, Clock clock, LedgerPolicy policy) {
        return new CenterLedger(Database.open(config), clock, policy);
    }

    public static CenterLedger open(DatabaseConfig config, Clock clock) {
        return open(config, clock, LedgerPolicy.DEFAULT);
    }

    /** Starts pushing committed changes to {@link #subscribers()}; once. */
    public synchronized CenterLedger startFeed() {
        if (feed == null) {
            feed = new ChangeFeed(database, reads, subscribers).start();
        }
        return this;
    }

    public Database database() {
        return database;
    }

    public UnitOfWork unitOfWork() {
        return uow;
    }

    public TerminalRegistry terminals() {
        return terminals;
    }

    public Accounts accounts() {
        return accounts;
    }

    public Messages messages() {
        return messages;
    }

    public Ingest ingest() {
        return ingest;
    }

    public OnlineAuthorization authorization() {
        return authorization;
    }

    public QrPayments qr() {
        return qr;
    }

    public Holds holds() {
        return holds;
    }

    /** What the card office must look at. */
    public Flags flags() {
        return flags;
    }

    public Replay replay() {
        return replay;
    }

    public StreamReads reads() {
        return reads;
    }

    /** The terminals connected to this instance; a test may add its own subscriber. */
    public Subscribers subscribers() {
        return subscribers;
    }

    @Override
    public synchronized void close() {
        if (feed != null) {
            feed.close();
            feed = null;
        }
        ingest.close();
        database.close();
    }
}
