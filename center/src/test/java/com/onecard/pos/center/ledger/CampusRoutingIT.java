package com.onecard.pos.center.ledger;

import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.testing.Await;
import com.onecard.pos.center.testing.RecordingSubscriber;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.proto.Downstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An account's changes go to the terminals that can serve it: of its campus, or serving every campus. */
class CampusRoutingIT {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static CenterLedger ledger;

    @BeforeAll
    static void open() {
        ledger = CenterLedger.open(TestPostgres.freshDatabase("campus_routing"), Clock.systemUTC()).startFeed();
        for (String t : List.of("NORTH-1", "SOUTH-1", "ANY-1")) {
            ledger.terminals().register(t, SECRET);
        }
        ledger.terminals().setCampus("NORTH-1", "north");
        ledger.terminals().setCampus("SOUTH-1", "south");
        ledger.accounts().open(1, new byte[] {1, 1, 1, 1}, 1, "North Student", 100, 0, "", 0);
        ledger.accounts().setCampus(1, "north");
        ledger.accounts().open(2, new byte[] {2, 2, 2, 2}, 1, "South Student", 100, 0, "", 0);
        ledger.accounts().setCampus(2, "south");
        ledger.accounts().open(3, new byte[] {3, 3, 3, 3}, 1, "Visiting Scholar", 100, 0, "", 0);
    }

    @AfterAll
    static void close() {
        ledger.close();
    }

    static List<Long> accounts(List<Downstream> pushed) {
        return pushed.stream().filter(Downstream::hasAccount).map(d -> d.getAccount().getAccountId()).distinct()
                .sorted().toList();
    }

    @Test
    void replayAndLiveChangesReachOnlyTerminalsThatCanServeTheAccount() {
        assertThat(accounts(RecordingSubscriber.replayed(ledger, "NORTH-1", Map.of()))).containsExactly(1L, 3L);
        assertThat(accounts(RecordingSubscriber.replayed(ledger, "ANY-1", Map.of()))).containsExactly(1L, 2L, 3L);

        RecordingSubscriber north = new RecordingSubscriber("NORTH-1");
        north.campus("north");
        RecordingSubscriber south = new RecordingSubscriber("SOUTH-1");
        south.campus("south");
        RecordingSubscriber any = new RecordingSubscriber("ANY-1");
        for (RecordingSubscriber s : List.of(north, south, any)) {
            ledger.subscribers().add(s);
        }
        for (long a = 1; a <= 3; a++) {
            ledger.accounts().topUp(a, 100, "wechat");
        }
        Await.until(Duration.ofSeconds(10), () -> accounts(any.pushed()).size() == 3, () -> "" + any.pushed());
        assertThat(accounts(north.pushed())).containsExactly(1L, 3L);
        assertThat(accounts(south.pushed())).containsExactly(2L, 3L);
    }
}
