package com.onecard.pos.reader.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputProvider;
import com.pi4j.io.gpio.digital.DigitalState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Buzzer, green and red LED on three BCM pins as pi4j digital outputs. Patterns play on a
 * timer thread named {@code feedback}; a new pattern cuts the running one short. GPIO failures
 * are logged at debug and swallowed: a broken buzzer must not stop a sale.
 */
public final class Pi4jFeedback implements Feedback {
    private static final Logger log = LoggerFactory.getLogger(Pi4jFeedback.class);

    private final Context context;
    private final boolean ownsContext;
    private final String where;
    private final DigitalOutput buzzer;
    private final DigitalOutput green;
    private final DigitalOutput red;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "feedback");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> running;
    private int generation;
    /** Last state written to buzzer, green, red (timer thread), and rising edges written to each. */
    private final boolean[] high = new boolean[3];
    private final java.util.concurrent.atomic.AtomicLongArray risen = new java.util.concurrent.atomic.AtomicLongArray(3);

    /**
     * Requests the three lines from {@code provider}, all low.
     *
     * @param ownsContext shut the context down on {@link #close()}
     * @param where       the chip the lines are on, for messages (e.g. "gpiochip0 'pinctrl-bcm2711'")
     * @throws GpioException naming the chip and the line the provider refused; the lines already
     *                       requested are released
     */
    public Pi4jFeedback(Context context, boolean ownsContext, DigitalOutputProvider provider, String where,
                        int buzzerPin, int greenPin, int redPin) throws GpioException {
        this.context = context;
        this.ownsContext = ownsContext;
        this.where = provider.id() + " on " + where + ": buzzer line " + buzzerPin + ", green LED line " + greenPin
                + ", red LED line " + redPin;
        DigitalOutput b = null;
        DigitalOutput g = null;
        try {
            b = output(context, provider, where, "buzzer", buzzerPin);
            g = output(context, provider, where, "green", greenPin);
            this.red = output(context, provider, where, "red", redPin);
        } catch (GpioException e) {
            timer.shutdownNow();
            for (DigitalOutput o : new DigitalOutput[]{b, g}) {
                if (o != null) {
                    set(o, false);
                }
            }
            if (ownsContext) {
                shutdown(context);
            }
            throw e;
        }
        this.buzzer = b;
        this.green = g;
    }

    private static DigitalOutput output(Context context, DigitalOutputProvider provider, String where, String role, int pin)
            throws GpioException {
        String id = role.equals("buzzer") ? "buzzer" : "led-" + role;
        try {
            return provider.create(DigitalOutput.newConfigBuilder(context).id(id).name(id).address(pin)
                    .initial(DigitalState.LOW).shutdown(DigitalState.LOW).build());
        } catch (RuntimeException | LinkageError e) {
            throw new GpioException("gpio." + role + "-pin=" + pin + ": " + provider.id() + " cannot drive line " + pin
                    + " of GPIO chip " + where + ": " + reason(e), e);
        }
    }

    /** The innermost message: pi4j wraps the native library's refusal several times. */
    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    @Override
    public void approved() {
        play(Pattern.APPROVED);
    }

    @Override
    public void declined() {
        play(Pattern.DECLINED);
    }

    @Override
    public void error() {
        play(Pattern.ERROR);
    }

    @Override
    public void test() {
        play(Pattern.TEST);
    }

    @Override
    public String describe() {
        return where;
    }

    /** The outputs, for tests: buzzer, green, red. */
    DigitalOutput[] outputs() {
        return new DigitalOutput[]{buzzer, green, red};
    }

    private synchronized void play(Pattern p) {
        try {
            schedule(p);
        } catch (RuntimeException e) {
            // closed meanwhile (rejected) or similar: feedback is best effort
            log.debug("feedback pattern not played", e);
        }
    }

    private void schedule(Pattern p) {
        if (timer.isShutdown()) {
            return;
        }
        if (running != null) {
            running.cancel(false);
        }
        int gen = ++generation;
        long at = 0;
        ScheduledFuture<?> last = null;
        for (Pattern.Step s : p.steps()) {
            last = timer.schedule(() -> apply(gen, s), at, TimeUnit.MILLISECONDS);
            at += s.millis();
        }
        running = last;
    }

    private void apply(int gen, Pattern.Step s) {
        synchronized (this) {
            // steps of a pattern that a newer one replaced are skipped
            if (gen != generation) {
                return;
            }
        }
        drive(0, buzzer, s.buzzer());
        drive(1, green, s.green());
        drive(2, red, s.red());
    }

    /** Writes one output's state, counting a rising edge that was written. Timer thread. */
    private void drive(int i, DigitalOutput out, boolean on) {
        if (set(out, on) && on && !high[i]) {
            risen.incrementAndGet(i);
        }
        high[i] = on;
    }

    @Override
    public Switched switchedOn() {
        return new Switched(risen.get(0), risen.get(1), risen.get(2));
    }

    private static boolean set(DigitalOutput out, boolean high) {
        try {
            out.state(high ? DigitalState.HIGH : DigitalState.LOW);
            return true;
        } catch (RuntimeException e) {
            log.debug("GPIO {} failed", out.id(), e);
            return false;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            generation++;
        }
        timer.shutdownNow();
        set(buzzer, false);
        set(green, false);
        set(red, false);
        if (ownsContext) {
            shutdown(context);
        }
    }

    private static void shutdown(Context context) {
        try {
            context.shutdown();
        } catch (RuntimeException e) {
            log.debug("pi4j shutdown failed", e);
        }
    }
}
