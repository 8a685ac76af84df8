package com.onecard.pos.reader.gpio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The GPIO chips the kernel lists, read from sysfs ({@code /sys/class/gpio/gpiochip<base>/}:
 * {@code label}, {@code ngpio}, and the {@code device} link whose name is the chip's character
 * device {@code /dev/gpiochipN}), so that a missing chip or a line past the chip's end is named
 * before pi4j is asked for it. Pure file reads: tests pass a folder laid out as sysfs and /dev.
 * <p>
 * Kernels built without {@code CONFIG_GPIO_SYSFS} have no {@code /sys/class/gpio}:
 * {@link #read} then answers empty and the lines are checked only by requesting them.
 */
public final class GpioChips {

    /**
     * One chip.
     *
     * @param name  character device name, e.g. {@code gpiochip0}
     * @param label driver label, e.g. {@code pinctrl-bcm2711} (Pi 4) or {@code pinctrl-rp1} (Pi 5)
     * @param lines number of lines (offsets 0 .. lines-1)
     */
    public record Chip(String name, String label, int lines) {
        public String describe() {
            return name + " '" + label + "' (" + lines + " lines)";
        }
    }

    private GpioChips() {
    }

    /**
     * @param sysRoot the folder holding {@code class/gpio} ({@code /sys} on a terminal)
     * @return every chip sysfs lists, by chip name; empty when sysfs has no GPIO class
     */
    public static Optional<List<Chip>> read(Path sysRoot) {
        Path cls = sysRoot.resolve("class/gpio");
        if (!Files.isDirectory(cls)) {
            return Optional.empty();
        }
        List<Chip> chips = new ArrayList<>();
        try (Stream<Path> entries = Files.list(cls)) {
            for (Path d : entries.filter(p -> p.getFileName().toString().startsWith("gpiochip")).toList()) {
                Path device = d.resolve("device");
                String name = Files.isSymbolicLink(device) ? Files.readSymbolicLink(device).getFileName().toString()
                        : d.getFileName().toString();
                String label = Files.readString(d.resolve("label")).trim();
                int lines = Integer.parseInt(Files.readString(d.resolve("ngpio")).trim());
                chips.add(new Chip(name, label, lines));
            }
        } catch (IOException | NumberFormatException e) {
            // an unreadable sysfs is no reason to refuse: pi4j's own line request still checks
            return Optional.empty();
        }
        chips.sort(Comparator.comparingInt(c -> chipNumber(c.name())));
        return Optional.of(chips);
    }

    /**
     * The chip pi4j 2.8.0's gpiod provider drives: the first chip (in /dev order) whose label
     * contains {@code pinctrl}, the Raspberry Pi's header GPIO (pi4j-library-gpiod,
     * {@code GpioDContext.initialize}).
     */
    public static Optional<Chip> driven(List<Chip> chips) {
        return chips.stream().filter(c -> c.label().contains("pinctrl")).findFirst();
    }

    /**
     * Checks that the driven chip exists with its character device under {@code devRoot} and
     * that every line is on it.
     *
     * @param lines  role and line offset pairs, e.g. {@code "buzzer", 18}
     * @return the chip the lines are on
     * @throws GpioException naming the chip and the line at fault
     */
    public static Chip check(List<Chip> chips, Path devRoot, List<Line> lines) throws GpioException {
        Chip chip = driven(chips).orElseThrow(() -> new GpioException("gpio.platform=pi: no GPIO chip labelled pinctrl-*"
                + " (the Raspberry Pi's header, which pi4j's gpiod provider drives); chips here: "
                + (chips.isEmpty() ? "none" : String.join(", ", chips.stream().map(Chip::describe).toList()))));
        Path dev = devRoot.resolve(chip.name());
        if (!Files.exists(dev)) {
            throw new GpioException("gpio.platform=pi: GPIO chip " + chip.describe() + " has no device " + dev
                    + " (is the gpiochip character device created? udev running?)");
        }
        for (Line l : lines) {
            if (l.offset() < 0 || l.offset() >= chip.lines()) {
                throw new GpioException("gpio." + l.role() + "-pin=" + l.offset() + ": line " + l.offset()
                        + " does not exist on GPIO chip " + chip.describe());
            }
        }
        return chip;
    }

    /** A line the terminal drives: its role (buzzer, green, red) and offset on the chip (the BCM number). */
    public record Line(String role, int offset) {
    }

    private static int chipNumber(String name) {
        String digits = name.replaceAll("\\D", "");
        return digits.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }
}
