package com.onecard.pos.terminal.app;

import com.onecard.pos.display.Screen;
import com.onecard.pos.display.ScreenRenderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The customer display, drawn on its own thread so that a slow screen never delays a sale.
 * Only the newest screen matters: screens posted while one is drawing replace each other.
 */
final class Display implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Display.class);
    private final ScreenRenderer renderer;
    private final AtomicReference<Screen> next = new AtomicReference<>();
    private volatile Screen current;
    private final Thread thread;
    private volatile boolean closed;

    Display(ScreenRenderer renderer) {
        this.renderer = renderer;
        this.thread = new Thread(this::run, "display");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void show(Screen s) {
        current = s;
        next.set(s);
        java.util.concurrent.locks.LockSupport.unpark(thread);
    }

    /** What the display shows (or is about to show) now. */
    Screen current() {
        return current;
    }

    private void run() {
        while (!closed) {
            Screen s = next.getAndSet(null);
            if (s == null) {
                java.util.concurrent.locks.LockSupport.park(this);
                continue;
            }
            try {
                renderer.render(s);
            } catch (Exception e) {
                log.warn("display: drawing {} failed: {}", s.getClass().getSimpleName(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        java.util.concurrent.locks.LockSupport.unpark(thread);
        try {
            // a drawing in progress finishes (and its file is moved into place) before the renderer closes
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            renderer.close();
        } catch (Exception e) {
            log.debug("closing display", e);
        }
    }
}
