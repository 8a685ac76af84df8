package com.onecard.pos.display;

import java.time.LocalTime;

/**
 * The line every screen carries: which terminal, whether the center is reachable, how many
 * sales wait to be uploaded, and the time.
 */
public record StatusBar(String terminalLabel, boolean online, long unsyncedCount, LocalTime time) {
}
