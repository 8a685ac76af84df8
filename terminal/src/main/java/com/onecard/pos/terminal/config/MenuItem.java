package com.onecard.pos.terminal.config;

/**
 * A dish the cashier can key by number instead of an amount.
 *
 * @param number   what the cashier types, 1..999
 * @param priceFen price in fen, positive
 * @param name     shown on the screen and in the log
 */
public record MenuItem(int number, long priceFen, String name) {

    /** Parses "12 1500 Braised pork". */
    public static MenuItem parse(String spec) {
        String[] p = spec.trim().split("\\s+", 3);
        if (p.length < 2) {
            throw new IllegalArgumentException("expected 'number priceFen name', got '" + spec.trim() + "'");
        }
        int number = Integer.parseInt(p[0]);
        long price = Long.parseLong(p[1]);
        if (number < 1 || number > 999) {
            throw new IllegalArgumentException("menu number must be 1..999, got " + number);
        }
        if (price <= 0) {
            throw new IllegalArgumentException("menu item " + number + " needs a positive price in fen, got " + price);
        }
        return new MenuItem(number, price, p.length == 3 ? p[2] : "item " + number);
    }

    @Override
    public String toString() {
        return number + " " + priceFen + " " + name;
    }
}
