package com.onecard.pos.terminal.app;

import com.onecard.pos.display.Screen;
import com.onecard.pos.display.ScreenRenderer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Closing the display lets a drawing in progress finish before the renderer is closed. */
class DisplayCloseTest {

    @Test
    void aDrawingInProgressFinishesBeforeTheRendererCloses() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch drawing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScreenRenderer renderer = new ScreenRenderer() {
            @Override
            public void render(Screen screen) throws java.io.IOException {
                events.add("render-start");
                drawing.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                events.add("render-end");
            }

            @Override
            public void close() {
                events.add("close");
            }
        };
        Display display = new Display(renderer);
        display.show(new Screen.Message(null, "hello"));
        assertThat(drawing.await(30, TimeUnit.SECONDS)).as("drawing started").isTrue();

        CountDownLatch closed = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            display.close();
            closed.countDown();
        });
        closer.start();
        // while the drawing is held, close() must not return (it waits for the display thread)
        assertThat(closed.await(1, TimeUnit.SECONDS)).as("close returned while a drawing was in progress").isFalse();
        release.countDown();
        assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(events).containsExactly("render-start", "render-end", "close");
    }
}
