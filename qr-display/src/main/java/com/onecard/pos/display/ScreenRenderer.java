package com.onecard.pos.display;

import java.io.IOException;

/** Draws a screen on one kind of display. Called from the terminal's display thread only. */
public interface ScreenRenderer extends AutoCloseable {
    void render(Screen screen) throws IOException;

    @Override
    default void close() throws IOException {
    }
}
