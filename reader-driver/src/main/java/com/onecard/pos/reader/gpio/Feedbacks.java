package com.onecard.pos.reader.gpio;

import com.pi4j.Pi4J;
import com.pi4j.boardinfo.util.BoardInfoHelper;
import com.pi4j.context.Context;
import com.pi4j.extension.Plugin;
import com.pi4j.io.IOType;
import com.pi4j.io.gpio.digital.DigitalOutputProvider;
import com.pi4j.provider.Provider;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Builds the {@link Feedback} for {@code gpio.platform}: {@code pi} (pi4j's gpiod provider on the
 * Raspberry Pi's header chip), {@code mock} (pi4j's in-memory provider, which only the simulator
 * and tests carry) or {@code none}.
 * <p>
 * A platform that cannot drive what it names is refused, never quietly silent: a cashier who
 * gets no beep cannot tell an approved sale from a hung terminal. A terminal that must sell
 * without its buzzer is set to {@code gpio.platform=none} by a technician.
 */
public final class Feedbacks {
    /** pi4j-plugin-gpiod's digital output provider (libgpiod, the GPIO character device). */
    public static final String GPIOD = "gpiod-digital-output";
    /** pi4j-plugin-mock's digital output provider. */
    public static final String MOCK = "mock-digital-output";

    private static final Path SYS = Path.of("/sys");
    private static final Path DEV = Path.of("/dev");

    private Feedbacks() {
    }

    /**
     * @throws GpioException naming the platform, the provider it resolved to, and the chip and line at fault
     * @throws IllegalArgumentException for an unknown platform name (a configuration error)
     */
    public static Feedback create(String platform, int buzzerPin, int greenPin, int redPin) throws GpioException {
        String p = platform == null ? "none" : platform.trim().toLowerCase(Locale.ROOT);
        switch (p) {
            case "none":
                return new NoopFeedback();
            case "mock": {
                Context ctx = Pi4J.newAutoContext();
                DigitalOutputProvider mock = providerById(ctx, MOCK, "gpio.platform=mock needs pi4j-plugin-mock, which only"
                        + " the simulator and the tests carry; on a terminal use gpio.platform=pi (or none)");
                return new Pi4jFeedback(ctx, true, mock, "pi4j's in-memory mock", buzzerPin, greenPin, redPin);
            }
            case "pi":
                return pi(SYS, DEV, buzzerPin, greenPin, redPin);
            default:
                throw new IllegalArgumentException("feedback platform must be mock, pi or none, got '" + platform + "'");
        }
    }

    /** gpio.platform=pi with sysfs and /dev under the given roots (tests pass folders laid out like them). */
    static Feedback pi(Path sys, Path dev, int buzzerPin, int greenPin, int redPin) throws GpioException {
        List<GpioChips.Line> lines = List.of(new GpioChips.Line("buzzer", buzzerPin), new GpioChips.Line("green", greenPin),
                new GpioChips.Line("red", redPin));
        Context ctx = Pi4J.newAutoContext();
        try {
            DigitalOutputProvider provider = resolvePi(ctx);
            var chips = GpioChips.read(sys);
            String where;
            if (chips.isPresent()) {
                where = GpioChips.check(chips.get(), dev, lines).describe();
            } else {
                where = "the pinctrl chip (unnamed: this kernel has no /sys/class/gpio)";
            }
            if (!BoardInfoHelper.runningOnRaspberryPi()) {
                throw new GpioException("gpio.platform=pi: this board is not a Raspberry Pi as pi4j reads it (/proc/cpuinfo,"
                        + " /proc/device-tree/model), so its gpiod provider opens no chip and cannot drive buzzer line "
                        + buzzerPin + ", green LED line " + greenPin + " or red LED line " + redPin + " on " + where);
            }
            return new Pi4jFeedback(ctx, true, provider, where, buzzerPin, greenPin, redPin);
        } catch (GpioException | RuntimeException | LinkageError e) {
            shutdown(ctx);
            if (e instanceof GpioException g) {
                throw g;
            }
            throw new GpioException("gpio.platform=pi: pi4j failed to open GPIO for buzzer line " + buzzerPin + ", green LED line "
                    + greenPin + ", red LED line " + redPin + ": " + (e.getMessage() == null ? "no reason given" : e.getMessage()), e);
        }
    }

    /**
     * The digital output provider pi4j resolves to on this class path when asked for none by
     * name (its highest-priority one), which {@code gpio.platform=pi} requires to be gpiod.
     *
     * @throws GpioException when it resolves to another provider (the mock, in a package built
     *                       wrongly) or to none
     */
    static DigitalOutputProvider resolvePi(Context ctx) throws GpioException {
        String resolved = resolvedProvider(ctx);
        if (!GPIOD.equals(resolved)) {
            throw new GpioException("gpio.platform=pi resolves to pi4j provider '" + resolved + "', not '" + GPIOD + "': the"
                    + " buzzer and LEDs would drive nothing. The terminal's package carries pi4j-plugin-gpiod and not"
                    + " pi4j-plugin-mock; check /usr/share/onecard-pos/lib (posctl feedback providers)");
        }
        return providerById(ctx, GPIOD, "");
    }

    /** The id of the digital output provider pi4j picks by default, or "none". */
    static String resolvedProvider(Context ctx) {
        try {
            Provider<?, ?, ?> p = ctx.provider(IOType.DIGITAL_OUTPUT);
            return p == null ? "none" : p.id();
        } catch (RuntimeException e) {
            return "none";
        }
    }

    /**
     * Which provider each platform resolves to on this class path, without requesting a line:
     * for {@code posctl feedback providers} and the packaging test.
     *
     * @return e.g. plugins {@code [com.pi4j.plugin.gpiod.GpioDPlugin]}, resolved {@code gpiod-digital-output}
     */
    public static Resolution resolution() {
        List<String> plugins = ServiceLoader.load(Plugin.class).stream().map(p -> p.type().getName()).sorted().toList();
        Context ctx = Pi4J.newAutoContext();
        try {
            return new Resolution(plugins, resolvedProvider(ctx));
        } finally {
            shutdown(ctx);
        }
    }

    /**
     * @param plugins  the pi4j plugins on the class path (of two digital output providers, pi4j
     *                 keeps the one of higher priority: the mock's 1000 beats gpiod's 150)
     * @param resolved the digital output provider pi4j picks by default (gpio.platform=pi needs gpiod)
     */
    public record Resolution(List<String> plugins, String resolved) {
    }

    private static DigitalOutputProvider providerById(Context ctx, String id, String whenMissing) throws GpioException {
        try {
            if (ctx.providers().exists(id)) {
                return ctx.providers().get(id, DigitalOutputProvider.class);
            }
        } catch (RuntimeException e) {
            throw new GpioException(whenMissing + " (" + e.getMessage() + ")", e);
        }
        shutdown(ctx);
        throw new GpioException(whenMissing);
    }

    private static void shutdown(Context ctx) {
        try {
            ctx.shutdown();
        } catch (RuntimeException e) {
            // already shut down, or a provider failed to: nothing is driven either way
        }
    }
}
