package com.onecard.pos.terminal.config;

/**
 * A dish the cashier can key by number instead of an amount.
 *
 * @param number   what the cashier types, 1..999
 * @param priceFen price in fen, positive
 * @param name     shown on the screen and in the log
 */
public record MenuItem(int number, long priceFen, String name) {

    /**
     * Parses "12 1500 Braised pork".
     *
     * @throws IllegalArgumentException naming the item and the part that is wrong
     */
    public static MenuItem parse(String spec) {
        String[] p = spec.trim().split("\\s+", 3);
        if (p.length < 2) {
            throw new IllegalArgumentException("expected 'number priceFen name', got '" + spec.trim() + "'");
        }
        if (!p[0].matches("[0-9]{1,3}") || Integer.parseInt(p[0]) < 1) {
            throw new IllegalArgumentException("menu number must be 1..999, got '" + p[0] + "'");
        }
        int number = Integer.parseInt(p[0]);
        if (!p[1].matches("[0-9]{1,9}") || Long.parseLong(p[1]) == 0) {
            throw new IllegalArgumentException("menu item " + number + " needs a positive price in whole fen, got '" + p[1] + "'");
        }
        long price = Long.parseLong(p[1]);
        return new MenuItem(number, price, p.length == 3 ? p[2] : "item " + number);
    }

    @Override
    public String toString() {
        return number + " " + priceFen + " " + name;
    }
}
