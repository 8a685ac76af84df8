package com.onecard.pos.sim.pay;

/** How a simulated provider misbehaves for one order, as real providers do now and then. */
public enum Fault {
    /** One notification, sent after the student's browser is sent back to the app. */
    NONE,
    /** The same notification two or three times. */
    DUPLICATE,
    /** The notification arrives before the student's browser is sent back. */
    BEFORE_REDIRECT,
    /** No notification at all: the center must query the order. */
    NEVER,
    /** The first notification carries a broken signature; the retry is signed properly. */
    BAD_SIGNATURE
}
