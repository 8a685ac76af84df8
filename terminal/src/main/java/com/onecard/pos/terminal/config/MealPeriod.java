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

    /** Parses "lunch 11:00-13:30 1200 2". */
    public static MealPeriod parse(String spec) {
        String[] p = spec.trim().split("\\s+");
        if (p.length != 4) {
            throw new IllegalArgumentException("expected 'name HH:MM-HH:MM priceFen countLimit', got '" + spec.trim() + "'");
        }
        String[] times = p[1].split("-");
        if (times.length != 2) {
            throw new IllegalArgumentException("expected HH:MM-HH:MM, got '" + p[1] + "'");
        }
        LocalTime start = LocalTime.parse(times[0]);
        LocalTime end = LocalTime.parse(times[1]);
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("period '" + p[0] + "' ends before it starts");
        }
        long price = Long.parseLong(p[2]);
        int count = Integer.parseInt(p[3]);
        if (price < 0) {
            throw new IllegalArgumentException("period '" + p[0] + "' has a negative price");
        }
        if (count < 1 || count > 99) {
            throw new IllegalArgumentException("period '" + p[0] + "' count limit must be 1..99, got " + count);
        }
        return new MealPeriod(p[0], start, end, price, count);
    }

    @Override
    public String toString() {
        return name + " " + start + "-" + end + " " + priceFen + " " + countLimit;
    }
}
