package com.onecard.pos.display;

/** What the customer display shows. Amounts are fen. */
public sealed interface Screen {
    StatusBar status();

    /** Waiting for the cashier; shows the canteen and, with a fixed price, the meal price. */
    record Idle(StatusBar status, String merchantName, String hint) implements Screen {
    }

    /** Amount entered, waiting for a card tap. */
    record Amount(StatusBar status, long amountFen) implements Screen {
    }

    /** Scan-to-pay: the QR code, its amount and the seconds left before it expires. */
    record QrPayment(StatusBar status, long amountFen, String payload, long secondsLeft) implements Screen {
    }

    /** Approved; the holder's photo on the cashier's side. */
    record Approved(StatusBar status, String holderName, long amountFen, long balanceFen, HolderPhoto photo)
            implements Screen {
        public Approved {
            photo = photo == null ? HolderPhoto.NONE : photo;
        }

        public Approved(StatusBar status, String holderName, long amountFen, long balanceFen) {
            this(status, holderName, amountFen, balanceFen, HolderPhoto.NONE);
        }
    }

    /** Refused, with the reason in words a student understands; the holder's photo when the card or code named one. */
    record Declined(StatusBar status, String reason, HolderPhoto photo) implements Screen {
        public Declined {
            photo = photo == null ? HolderPhoto.NONE : photo;
        }

        public Declined(StatusBar status, String reason) {
            this(status, reason, HolderPhoto.NONE);
        }
    }

    /** A notice from the card center or the terminal. */
    record Message(StatusBar status, String text) implements Screen {
    }
}
