package com.onecard.pos.center.testing;

import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.feed.TerminalSubscriber;
import com.onecard.pos.sync.proto.Downstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A terminal that only records what the center pushes to it. */
public final class RecordingSubscriber implements TerminalSubscriber {
    private final String terminalId;
    private final List<Downstream> pushed = new CopyOnWriteArrayList<>();
    private volatile String campus;

    public RecordingSubscriber(String terminalId) {
        this.terminalId = terminalId;
    }

    /** Replays from {@code cursors} into a new subscriber, then subscribes it to live changes. */
    public static RecordingSubscriber subscribe(CenterLedger ledger, String terminalId, Map<String, Long> cursors) {
        RecordingSubscriber s = new RecordingSubscriber(terminalId);
        ledger.subscribers().add(s);
        ledger.replay().replay(terminalId, cursors, s::push);
        return s;
    }

    /** What a replay from {@code cursors} sends, without subscribing to live changes. */
    public static List<Downstream> replayed(CenterLedger ledger, String terminalId, Map<String, Long> cursors) {
        List<Downstream> out = new ArrayList<>();
        ledger.replay().replay(terminalId, cursors, out::add);
        return out;
    }

    @Override
    public String terminalId() {
        return terminalId;
    }

    @Override
    public String campus() {
        return campus;
    }

    public void campus(String c) {
        campus = c;
    }

    @Override
    public void push(Downstream change) {
        pushed.add(change);
    }

    public List<Downstream> pushed() {
        return new ArrayList<>(pushed);
    }

    public void clear() {
        pushed.clear();
    }
}
