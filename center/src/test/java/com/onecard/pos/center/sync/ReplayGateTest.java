package com.onecard.pos.center.sync;

import com.onecard.pos.center.feed.EncodedAccountUpdate;
import com.onecard.pos.center.ledger.Streams;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.Downstream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live changes around a session's replay: dropped while it waits for its slot (the replay's
 * snapshot, taken later, covers them), held while it replays, then only those the snapshot
 * did not cover go out, in order.
 */
class ReplayGateTest {
    final List<String> out = new ArrayList<>();
    final ReplayGate gate = new ReplayGate(new ReplayGate.Out() {
        @Override
        public void change(Downstream d) {
            out.add(d.getStream() + "@" + d.getVersion());
        }

        @Override
        public void accounts(List<EncodedAccountUpdate> updates, long appliedSeq) {
            updates.forEach(u -> out.add(Streams.ACCOUNTS + "@" + u.version() + "/" + appliedSeq));
        }
    });

    static Downstream blacklist(long v) {
        return Downstream.newBuilder().setStream(Streams.BLACKLIST).setVersion(v).build();
    }

    static EncodedAccountUpdate account(long v) {
        return EncodedAccountUpdate.of(AccountUpdate.newBuilder().setAccountId(1).setVersion(v).build());
    }

    @Test
    void changesBeforeTheReplayStartsAreLeftToItAndThoseDuringItGoOutAfterItUnlessCovered() {
        // waiting for a slot: nothing kept, however long the wait
        gate.live(blacklist(4));
        gate.liveAccounts(List.of(account(7)), 3);
        assertThat(gate.dropped()).isEqualTo(2);

        gate.replaying();
        // committed around the snapshot: 5 and 8 are in it, 6 and 9 came after it
        gate.live(blacklist(5));
        gate.live(blacklist(6));
        gate.liveAccounts(List.of(account(8), account(9)), 4);
        assertThat(out).as("held while the replay is written").isEmpty();

        gate.replayed(Map.of(Streams.BLACKLIST, 5L, Streams.ACCOUNTS, 8L));
        assertThat(out).containsExactly("blacklist@6", "accounts@9/4");

        gate.live(blacklist(10));
        assertThat(out).as("live after the replay").endsWith("blacklist@10");
        assertThat(gate.dropped()).isEqualTo(2);
    }
}
