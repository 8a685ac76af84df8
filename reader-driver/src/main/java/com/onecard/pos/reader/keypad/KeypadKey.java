package com.onecard.pos.reader.keypad;

import java.util.Map;
import java.util.Optional;

/**
 * The keys of a USB numeric keypad at the window, from their Linux key codes
 * (linux/input-event-codes.h). The number row of a full keyboard counts the same as the keypad's
 * digits. The kernel reports keypad digits whatever the NumLock light says (NumLock is applied
 * by consoles and desktops, not by evdev), so a keypad left in either state types digits.
 */
public enum KeypadKey {
    DIGIT_0('0'), DIGIT_1('1'), DIGIT_2('2'), DIGIT_3('3'), DIGIT_4('4'),
    DIGIT_5('5'), DIGIT_6('6'), DIGIT_7('7'), DIGIT_8('8'), DIGIT_9('9'),
    /** Decimal point of an amount. */
    DOT('.'),
    /** Deletes the last character typed. */
    BACKSPACE('\b'),
    /** Confirms the amount, the card password, or the action chosen. */
    ENTER('\n'),
    /** Clears what is typed; with nothing typed, cancels the sale in progress (Esc, or the keypad's *). */
    CANCEL('*'),
    /** The amount typed is paid by QR code instead of card (the keypad's +). */
    QR('+'),
    /** Reverse the last sale, confirmed by Enter (the keypad's -). */
    REVERSE('-');

    private final char symbol;

    KeypadKey(char symbol) {
        this.symbol = symbol;
    }

    /** The character it stands for: '0'-'9', '.', '*', '+', '-', '\b' for backspace, '\n' for Enter. */
    public char symbol() {
        return symbol;
    }

    public boolean isDigit() {
        return ordinal() <= DIGIT_9.ordinal();
    }

    private static final Map<Integer, KeypadKey> BY_CODE = Map.ofEntries(
            Map.entry(11, DIGIT_0), Map.entry(2, DIGIT_1), Map.entry(3, DIGIT_2), Map.entry(4, DIGIT_3),
            Map.entry(5, DIGIT_4), Map.entry(6, DIGIT_5), Map.entry(7, DIGIT_6), Map.entry(8, DIGIT_7),
            Map.entry(9, DIGIT_8), Map.entry(10, DIGIT_9),
            Map.entry(82, DIGIT_0), Map.entry(79, DIGIT_1), Map.entry(80, DIGIT_2), Map.entry(81, DIGIT_3),
            Map.entry(75, DIGIT_4), Map.entry(76, DIGIT_5), Map.entry(77, DIGIT_6), Map.entry(71, DIGIT_7),
            Map.entry(72, DIGIT_8), Map.entry(73, DIGIT_9),
            // KEY_DOT, KEY_KPDOT, KEY_KPCOMMA (keypads sold for decimal-comma locales)
            Map.entry(52, DOT), Map.entry(83, DOT), Map.entry(121, DOT),
            // KEY_BACKSPACE, KEY_DELETE
            Map.entry(14, BACKSPACE), Map.entry(111, BACKSPACE),
            // KEY_ENTER, KEY_KPENTER
            Map.entry(28, ENTER), Map.entry(96, ENTER),
            // KEY_ESC, KEY_KPASTERISK
            Map.entry(1, CANCEL), Map.entry(55, CANCEL),
            // KEY_KPPLUS, KEY_KPMINUS
            Map.entry(78, QR), Map.entry(74, REVERSE));

    /** The key for a Linux key code; empty for keys the window does not use (NumLock, Tab, /, letters). */
    public static Optional<KeypadKey> ofCode(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** A Linux key code that types this key (the keypad's own where it has one), for emulators. */
    public int code() {
        return switch (this) {
            case DIGIT_0 -> 82;
            case DIGIT_1 -> 79;
            case DIGIT_2 -> 80;
            case DIGIT_3 -> 81;
            case DIGIT_4 -> 75;
            case DIGIT_5 -> 76;
            case DIGIT_6 -> 77;
            case DIGIT_7 -> 71;
            case DIGIT_8 -> 72;
            case DIGIT_9 -> 73;
            case DOT -> 83;
            case BACKSPACE -> 14;
            case ENTER -> 96;
            case CANCEL -> 55;
            case QR -> 78;
            case REVERSE -> 74;
        };
    }
}
