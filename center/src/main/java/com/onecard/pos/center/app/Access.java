package com.onecard.pos.center.app;

/** Who may call an endpoint. */
enum Access {
    /** Anyone (login steps, the API document). */
    PUBLIC,
    /** A payment provider: no token, the notification's signature is the proof. */
    PROVIDER,
    /** Anyone logged in, also before the initial password is changed (change it, log out, who am I). */
    LOGGED_IN,
    /** Anyone logged in whose initial password is changed. */
    USER,
    /** A student with a card account, initial password changed; touches only that account. */
    STUDENT,
    /** Card-office staff. */
    ADMIN
}
