package com.onecard.pos.terminal.config;

import java.time.LocalTime;

/**
 * One meal period of the day with its fixed price and how many times one card may buy in it.
 *
 * @param name       e.g. "lunch"
 * @param start      first minute of the period (inclusive)
 * @param end        end of the period (exclusive)
 * @param priceFen   fixed meal price; 0 means the cashier types the amount
 * @param countLimit sales per card in this period, 1..99
 */
public record MealPeriod(String name, LocalTime start, LocalTime end, long priceFen, int countLimit) {

    public boolean contains(LocalTime t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    /**
     * Parses "lunch 11:00-13:30 1200 2".
     *
     * @throws IllegalArgumentException naming the period and the part that is wrong
     */
    public static MealPeriod parse(String spec) {
        String[] p = spec.trim().split("\\s+");
        if (p.length != 4) {
            throw new IllegalArgumentException("expected 'name HH:MM-HH:MM priceFen countLimit', got '" + spec.trim() + "'");
        }
        String[] times = p[1].split("-");
        if (times.length != 2) {
            throw new IllegalArgumentException("period '" + p[0] + "': expected HH:MM-HH:MM, got '" + p[1] + "'");
        }
        LocalTime start = time(p[0], times[0]);
        LocalTime end = time(p[0], times[1]);
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("period '" + p[0] + "' ends before it starts");
        }
        if (!p[2].matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("period '" + p[0] + "': price must be whole fen (0-999999999), got '" + p[2] + "'");
        }
        if (!p[3].matches("[0-9]{1,2}") || Integer.parseInt(p[3]) < 1) {
            throw new IllegalArgumentException("period '" + p[0] + "' count limit must be 1..99, got '" + p[3] + "'");
        }
        return new MealPeriod(p[0], start, end, Long.parseLong(p[2]), Integer.parseInt(p[3]));
    }

    private static LocalTime time(String period, String text) {
        if (!text.matches("[0-9]{2}:[0-9]{2}")) {
            throw new IllegalArgumentException("period '" + period + "': expected a time HH:MM, got '" + text + "'");
        }
        int h = Integer.parseInt(text.substring(0, 2));
        int m = Integer.parseInt(text.substring(3));
        if (h > 23 || m > 59) {
            throw new IllegalArgumentException("period '" + period + "': " + text + " is not a time of day (00:00-23:59)");
        }
        return LocalTime.of(h, m);
    }

    @Override
    public String toString() {
        return name + " " + start + "-" + end + " " + priceFen + " " + countLimit;
    }
}
