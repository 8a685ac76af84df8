package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.gpio.Feedback;
import com.onecard.pos.reader.gpio.Feedbacks;
import com.onecard.pos.reader.model.ReaderModel;
import com.onecard.pos.reader.model.ReaderModels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulator's class path: GPIO resolves to pi4j's mock, and every reader model has its emulator. */
class SimulatorHardwareTest {

    @Test
    void gpioInTheSimulatorResolvesToTheMock() throws Exception {
        assertThat(Feedbacks.resolution().resolved()).isEqualTo(Feedbacks.MOCK);
        Feedback f = Feedbacks.create("mock", 18, 23, 24);
        try {
            assertThat(f.describe()).contains("mock");
        } finally {
            f.close();
        }
    }

    @Test
    void everyModelOfTheReaderRegistryHasOneEmulatorAndEveryEmulatorAModel() {
        assertThat(ReaderEmulators.all().keySet())
                .containsExactlyInAnyOrderElementsOf(ReaderModels.registry().all().stream().map(ReaderModel::name).toList());
        assertThat(ReaderEmulators.forModel("rdm6300")).isInstanceOf(Rdm6300Emulation.class);
    }

    @Test
    void anUnknownModelIsRefusedListingTheRegisteredOnes() {
        assertThatThrownBy(() -> ReaderEmulators.forModel("gm65")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gm65'").hasMessageContaining("pn532, rdm6300, scanner");
    }
}
