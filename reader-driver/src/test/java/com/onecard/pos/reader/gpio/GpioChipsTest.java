package com.onecard.pos.reader.gpio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chip and line checks of gpio.platform=pi on folders laid out as a Raspberry Pi's sysfs
 * and /dev (no gpio-sim module here: a technician checks the real chip, docs/operations.md).
 */
class GpioChipsTest {
    private static final List<GpioChips.Line> LINES = List.of(new GpioChips.Line("buzzer", 18),
            new GpioChips.Line("green", 23), new GpioChips.Line("red", 24));

    @TempDir
    Path root;

    private Path sys() {
        return root.resolve("sys");
    }

    private Path dev() {
        return root.resolve("dev");
    }

    /** /sys/class/gpio/gpiochip{base} with label, ngpio and the device link to gpiochip{n}; /dev/gpiochip{n}. */
    private void chip(int n, int base, String label, int lines, boolean devNode) throws IOException {
        Path d = sys().resolve("class/gpio/gpiochip" + base);
        Files.createDirectories(d);
        Files.writeString(d.resolve("label"), label + "\n");
        Files.writeString(d.resolve("ngpio"), lines + "\n");
        Files.createDirectories(sys().resolve("devices/platform/soc/gpiochip" + n));
        Files.createSymbolicLink(d.resolve("device"), sys().resolve("devices/platform/soc/gpiochip" + n));
        Files.createDirectories(dev());
        if (devNode) {
            Files.writeString(dev().resolve("gpiochip" + n), "");
        }
    }

    @Test
    void aPi4ChipWithItsDeviceCarriesTheThreeLines() throws Exception {
        chip(0, 512, "pinctrl-bcm2711", 58, true);
        chip(1, 570, "raspberrypi-exp-gpio", 8, true);
        GpioChips.Chip c = GpioChips.check(GpioChips.read(sys()).orElseThrow(), dev(), LINES);
        assertThat(c).isEqualTo(new GpioChips.Chip("gpiochip0", "pinctrl-bcm2711", 58));
    }

    @Test
    void thePinctrlChipIsTheOneDrivenWhateverItsNumber() throws Exception {
        // Pi 5 on kernels before 6.6.45: the header is the RP1's pinctrl chip, gpiochip4
        chip(0, 512, "gpio-brcmstb@107d508500", 32, true);
        chip(4, 571, "pinctrl-rp1", 54, true);
        GpioChips.Chip c = GpioChips.check(GpioChips.read(sys()).orElseThrow(), dev(), LINES);
        assertThat(c.name()).isEqualTo("gpiochip4");
    }

    @Test
    void aLinePastTheChipsEndIsRefusedNamingTheKeyTheChipAndTheLine() throws Exception {
        chip(0, 512, "pinctrl-bcm2711", 20, true);
        assertThatThrownBy(() -> GpioChips.check(GpioChips.read(sys()).orElseThrow(), dev(), LINES))
                .isInstanceOf(GpioException.class)
                .hasMessageContaining("gpio.green-pin=23").hasMessageContaining("line 23")
                .hasMessageContaining("gpiochip0 'pinctrl-bcm2711' (20 lines)");
    }

    @Test
    void noPinctrlChipIsRefusedListingTheChipsThereAre() throws Exception {
        chip(0, 0, "gpio-mockup-A", 8, true);
        assertThatThrownBy(() -> GpioChips.check(GpioChips.read(sys()).orElseThrow(), dev(), LINES))
                .isInstanceOf(GpioException.class)
                .hasMessageContaining("no GPIO chip labelled pinctrl").hasMessageContaining("gpiochip0 'gpio-mockup-A' (8 lines)");
    }

    @Test
    void aChipWithoutItsCharacterDeviceIsRefusedNamingTheDevice() throws Exception {
        chip(0, 512, "pinctrl-bcm2711", 58, false);
        assertThatThrownBy(() -> GpioChips.check(GpioChips.read(sys()).orElseThrow(), dev(), LINES))
                .isInstanceOf(GpioException.class)
                .hasMessageContaining(dev().resolve("gpiochip0").toString());
    }

    @Test
    void aKernelWithoutGpioSysfsLeavesTheCheckToTheLineRequest() {
        assertThat(GpioChips.read(sys())).isEmpty();
    }
}
