package com.onecard.pos.display;

/**
 * The card holder's photo on the cashier's side of a sale's screen, so a borrowed card is
 * noticed: the approved card photo (a JPEG thumbnail), a neutral placeholder when the holder has
 * none, or no photo region at all when there is no holder (an unknown card).
 *
 * @param jpeg the photo, empty for the placeholder; null for no region
 */
public record HolderPhoto(byte[] jpeg) {
    /** No holder: no photo region. */
    public static final HolderPhoto NONE = new HolderPhoto(null);
    /** A holder without an approved photo: the placeholder. */
    public static final HolderPhoto MISSING = new HolderPhoto(new byte[0]);

    public HolderPhoto {
        jpeg = jpeg == null ? null : jpeg.clone();
    }

    /** The holder's photo, or the placeholder when {@code jpeg} is null or empty. */
    public static HolderPhoto of(byte[] jpeg) {
        return jpeg == null || jpeg.length == 0 ? MISSING : new HolderPhoto(jpeg);
    }

    /** True when the screen has a photo region (photo or placeholder). */
    public boolean shown() {
        return jpeg != null;
    }

    @Override
    public byte[] jpeg() {
        return jpeg == null ? null : jpeg.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HolderPhoto p && java.util.Arrays.equals(jpeg, p.jpeg);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(jpeg);
    }

    @Override
    public String toString() {
        return jpeg == null ? "HolderPhoto[none]" : jpeg.length == 0 ? "HolderPhoto[placeholder]"
                : "HolderPhoto[" + jpeg.length + " bytes]";
    }
}
