package com.onecard.pos.center.sync;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A fleet reconnecting replays a few sessions at a time, the others in the order they asked. */
class ReplaySlotsTest {
    @Test
    void noMoreReplaysStartThanThereAreSlotsAndTheRestGoInTheOrderTheyAsked() {
        ReplaySlots slots = new ReplaySlots(2);
        List<String> started = new ArrayList<>();
        for (String t : List.of("A", "B", "C", "D")) {
            slots.acquire(() -> started.add(t));
        }
        assertThat(started).containsExactly("A", "B");
        assertThat(slots.replaying()).isEqualTo(2);
        assertThat(slots.waiting()).isEqualTo(2);

        slots.release();
        assertThat(started).as("a slot given back goes to the session that waited longest").containsExactly("A", "B", "C");
        assertThat(slots.replaying()).isEqualTo(2);
        slots.release();
        slots.release();
        slots.release();
        assertThat(started).containsExactly("A", "B", "C", "D");
        assertThat(slots.replaying()).isZero();
        assertThat(slots.waiting()).isZero();
        assertThat(slots.started()).isEqualTo(4);
        assertThat(slots.mostWaiting()).isEqualTo(2);
    }

    @Test
    void aSlotGivenBackTwiceIsAnErrorNotAnExtraReplay() {
        ReplaySlots slots = new ReplaySlots(1);
        slots.acquire(() -> { });
        slots.release();
        assertThatThrownBy(slots::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("never taken");
        assertThatThrownBy(() -> new ReplaySlots(0)).hasMessageContaining("at least 1");
    }
}
