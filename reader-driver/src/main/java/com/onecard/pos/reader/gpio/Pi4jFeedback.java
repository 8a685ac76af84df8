package com.onecard.pos.reader.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
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

    /**
     * @param ownsContext shut the context down on {@link #close()}
     */
    public Pi4jFeedback(Context context, boolean ownsContext, int buzzerPin, int greenPin, int redPin) {
        this.context = context;
        this.ownsContext = ownsContext;
        this.buzzer = output(context, "buzzer", buzzerPin);
        this.green = output(context, "led-green", greenPin);
        this.red = output(context, "led-red", redPin);
    }

    private static DigitalOutput output(Context context, String id, int pin) {
        return context.create(DigitalOutput.newConfigBuilder(context).id(id).name(id).address(pin)
                .initial(DigitalState.LOW).shutdown(DigitalState.LOW));
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
        set(buzzer, s.buzzer());
        set(green, s.green());
        set(red, s.red());
    }

    private static void set(DigitalOutput out, boolean high) {
        try {
            out.state(high ? DigitalState.HIGH : DigitalState.LOW);
        } catch (RuntimeException e) {
            log.debug("GPIO {} failed", out.id(), e);
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
            try {
                context.shutdown();
            } catch (RuntimeException e) {
                log.debug("pi4j shutdown failed", e);
            }
        }
    }
}
