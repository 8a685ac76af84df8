package com.onecard.pos.reader.keypad;

/**
 * One Linux {@code struct input_event} (linux/input.h): the kernel's time stamp, then type, code
 * and value. For a key ({@link #EV_KEY}) the code is a {@code KEY_*} number of
 * linux/input-event-codes.h and the value 1 press, 0 release, 2 autorepeat.
 *
 * @param seconds      {@code time.tv_sec}
 * @param microseconds {@code time.tv_usec}
 * @param type         {@code EV_*}
 * @param code         {@code KEY_*} for EV_KEY, {@code SYN_*} for EV_SYN
 * @param value        signed 32-bit
 */
public record InputEvent(long seconds, long microseconds, int type, int code, int value) {
    public static final int EV_SYN = 0x00;
    public static final int EV_KEY = 0x01;
    public static final int EV_MSC = 0x04;
    public static final int SYN_REPORT = 0;
    public static final int SYN_DROPPED = 3;
    public static final int RELEASE = 0;
    public static final int PRESS = 1;
    public static final int REPEAT = 2;
}
