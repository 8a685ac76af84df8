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
}
