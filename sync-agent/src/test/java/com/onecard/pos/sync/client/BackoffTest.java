package com.onecard.pos.sync.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @Test
    void ceilingDoublesUpToTheCapAndResets() {
        // "random" returns the largest allowed value so the ceiling is visible.
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), bound -> bound - 1);
        assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
        assertThat(b.next()).isEqualTo(Duration.ofMillis(200));
        for (int i = 0; i < 40; i++) {
            assertThat(b.next()).isLessThanOrEqualTo(Duration.ofSeconds(5));
        }
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(5));
        b.reset();
        assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void fullJitterCanBeZero() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), bound -> 0);
        assertThat(b.next()).isEqualTo(Duration.ZERO);
    }

    @Test
    void theFirstReconnectAfterASessionIsDrawnOverTheWholeSpreadThenTheBackoffGrowsFromItsBase() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(2), bound -> bound - 1);
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.next()).isEqualTo(Duration.ofMillis(200));
        assertThat(b.next()).isEqualTo(Duration.ofMillis(400));
        b.reset();
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(2));
    }

    /** A fleet of 1,000 terminals that lost the center together: each its own random, as SyncClient draws. */
    @Test
    void aFleetThatLostTheCenterTogetherComesBackSpreadOverTheWholeBoundNeverAllAtOnce() {
        Duration spread = Duration.ofSeconds(2);
        java.util.Random seeds = new java.util.Random(42);
        long[] first = new long[1_000];
        for (int i = 0; i < first.length; i++) {
            java.util.Random own = new java.util.Random(seeds.nextLong());
            Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), spread, own::nextLong);
            b.next();                   // an earlier outage
            b.reset();                  // the session that followed made progress
            first[i] = b.next().toMillis();
        }
        java.util.Arrays.sort(first);
        assertThat(first[0]).isGreaterThanOrEqualTo(0);
        assertThat(first[first.length - 1]).isLessThanOrEqualTo(spread.toMillis());
        // Uniform over [0, 2,000] ms: every tenth of the bound holds about a tenth of the fleet (binomial, ±5 sd < 50).
        int[] tenths = new int[10];
        for (long ms : first) {
            tenths[(int) Math.min(9, ms * 10 / (spread.toMillis() + 1))]++;
        }
        for (int n : tenths) {
            assertThat(n).as("terminals in one tenth of the spread: " + java.util.Arrays.toString(tenths))
                    .isBetween(50, 150);
        }
    }

    @Test
    void aSyncClientDrawsItsFirstReconnectAfterASessionOverItsConfiguredSpread() {
        SyncClientConfig dflt = new SyncClientConfig("localhost", 7400, "T-7", "1.2.3", java.nio.file.Path.of("ca.pem"),
                java.nio.file.Path.of("t.pem"), java.nio.file.Path.of("t.key"), Duration.ofSeconds(5), 10, Duration.ZERO);
        assertThat(dflt.reconnectSpread()).isEqualTo(SyncClientConfig.DEFAULT_RECONNECT_SPREAD)
                .isEqualTo(Duration.ofSeconds(2));
        SyncClient client = new SyncClient(dflt.withReconnectSpread(Duration.ofSeconds(3)),
                new SyncClientHandlerTest.ListOutbox(), new SyncClientHandlerTest.ManualSink(), SyncClientHandlerTest.CLOCK);
        try {
            long most = 0;
            for (int i = 0; i < 200; i++) {
                client.progressMade();          // a session that made progress, then the center went away
                long ms = client.backoff().next().toMillis();
                assertThat(ms).isBetween(0L, 3_000L);
                most = Math.max(most, ms);
            }
            assertThat(most).as("drawn over the whole spread, not the 100 ms base").isGreaterThan(1_500L);
        } finally {
            client.close();
        }
    }

    @Test
    void aSpreadOutsideZeroToTenMinutesIsRefusedNamingIt() {
        SyncClientConfig c = new SyncClientConfig("localhost", 7400, "T-7", "1.2.3", java.nio.file.Path.of("ca.pem"),
                java.nio.file.Path.of("t.pem"), java.nio.file.Path.of("t.key"), Duration.ofSeconds(5), 10, Duration.ZERO);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.withReconnectSpread(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reconnectSpread");
    }
}
