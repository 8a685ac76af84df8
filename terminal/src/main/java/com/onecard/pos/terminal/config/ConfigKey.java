package com.onecard.pos.terminal.config;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key as {@link ConfigKeys} lists it: what its value is, its default, its
 * unit, and every rule a value must meet. The loader, {@code posctl config validate},
 * {@code posctl config set}, {@code config show} and the center's config stream all read this
 * one description.
 *
 * @param name           the key, e.g. {@code auth.offline.max-sale-fen}
 * @param type           how the text is read
 * @param defaultValue   the value when the key is absent or blank, as text; null = required
 * @param derivedDefault when not null, the default computed from keys listed before this one
 *                       (e.g. {@code reader.baud} follows {@code reader.driver}); {@code defaultValue}
 *                       then documents it
 * @param unit           fen, ms, baud, BCM GPIO, ... (empty when none)
 * @param min            smallest accepted number (INT)
 * @param max            largest accepted number (INT)
 * @param clamp          INT outside min..max: true = use the nearest bound and warn, false = refuse
 * @param choices        CHOICE: the accepted words; INT: when not empty, the only accepted numbers
 * @param text           TEXT: length and character set
 * @param file           PATH: what must be true of the file or folder it names
 * @param fileNeeded     PATH: whether the file rule applies, given the other keys (e.g. the
 *                       certificates only when a center is configured)
 * @param live           a change applies at once (posctl config set, the center's config
 *                       stream); false = at the next restart
 * @param secretContents the value names a file whose contents are secret: shown, never read out
 * @param remote         the card center may set it through its config stream (what a card office
 *                       sets: prices, meal periods, limits, names shown); false = set on the terminal
 *                       only ({@code posctl config set}), a value from the center is refused (issue 14)
 */
public record ConfigKey(String name, Type type, String defaultValue, Function<ConfigValues, String> derivedDefault,
                        String unit, long min, long max, boolean clamp, List<String> choices, TextRule text,
                        FileRule file, Predicate<ConfigValues> fileNeeded, boolean live, boolean secretContents,
                        boolean remote) {

    public enum Type { TEXT, CHOICE, BOOL, INT, PATH, OPTIONAL_PATH, PERIODS, MENU }

    /** What a PATH key's file must be. Checked only when the configuration is loaded from a file. */
    public enum FileRule {
        NONE,
        /** The folder it goes in must exist (the daemon creates the file, not the folder). */
        FOLDER_EXISTS,
        /** A folder that exists or can be created (its nearest existing ancestor is a folder). */
        FOLDER_CREATABLE,
        /** A file that exists and can be read. */
        READABLE,
        /** A hex key file from scripts/provision: readable, hex, at least 16 bytes. */
        HEX_KEY,
        /** A PEM certificate. */
        PEM_CERTIFICATE,
        /** A PEM private key. */
        PEM_PRIVATE_KEY
    }

    /**
     * Length limits (in characters, i.e. Unicode code points) and the character set of a TEXT key.
     *
     * @param source where the rule comes from, quoted in the error (e.g. "EMVCo tag 59")
     */
    public record TextRule(int minLength, int maxLength, Charset charset, String source) {
    }

    /** Character sets of TEXT keys. */
    public enum Charset {
        /** Letters A-Z a-z, digits, '-' and '_' (ids that go into file names and certificates). */
        ID("letters, digits, '-' or '_'"),
        /**
         * EMVCo "ans" (alphanumeric special): the Common Character Set of EMV Book 4 Annex B,
         * printable ASCII 0x20-0x7E. Source: EMV QRCPS Merchant-Presented Mode v1.1 §1.4
         * (data element formats), as restated in UnionPay International's MPQRC encoding
         * specification; tags 59 and 60 and the sub-fields of 26 and 62 use it.
         */
        EMV_ANS("printable ASCII (EMVCo alphanumeric special set: A-Z a-z 0-9, space and punctuation)"),
        /** Any Unicode text without control characters (EMVCo format "S": tag 64's names). */
        TEXT("text without control characters");

        private final String description;

        Charset(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        /** The index (in code points) of the first character outside the set, or -1. */
        public int firstBad(String s) {
            int[] cps = s.codePoints().toArray();
            for (int i = 0; i < cps.length; i++) {
                int c = cps[i];
                boolean ok = switch (this) {
                    case ID -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_');
                    case EMV_ANS -> c >= 0x20 && c <= 0x7E;
                    case TEXT -> !Character.isISOControl(c) && Character.getType(c) != Character.LINE_SEPARATOR
                            && Character.getType(c) != Character.PARAGRAPH_SEPARATOR && Character.getType(c) != Character.UNASSIGNED;
                };
                if (!ok) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** The value the daemon uses when the key is absent, given the keys before it. */
    public String defaultFor(ConfigValues before) {
        return derivedDefault != null ? derivedDefault.apply(before) : defaultValue;
    }

    public boolean required() {
        return defaultValue == null && derivedDefault == null;
    }

    /** What values are accepted, in words, for errors and {@code config show --keys}. */
    public String rule() {
        return switch (type) {
            case TEXT -> (text.minLength() > 0 ? text.minLength() + "-" : "at most ") + text.maxLength() + " characters, "
                    + text.charset().description() + (text.source().isEmpty() ? "" : " (" + text.source() + ")");
            case CHOICE -> String.join(" | ", choices);
            case BOOL -> "true | false";
            case INT -> choices.isEmpty() ? min + ".." + max + (unit.isEmpty() ? "" : " " + unit)
                    + (clamp ? " (outside: the nearest bound is used, with a warning)" : "")
                    : String.join(" ", choices) + (unit.isEmpty() ? "" : " " + unit);
            case PATH -> "a path" + fileRule();
            case OPTIONAL_PATH -> "empty, or a path" + fileRule();
            case PERIODS -> "name HH:MM-HH:MM price-fen count(1-99); at most 6, separated by ';', not overlapping";
            case MENU -> "number(1-999) price-fen name; separated by ';'";
        };
    }

    private String fileRule() {
        return switch (file) {
            case NONE -> "";
            case FOLDER_EXISTS -> " in an existing folder";
            case FOLDER_CREATABLE -> " of a folder that exists or can be created";
            case READABLE -> " of a readable file";
            case HEX_KEY -> " of a hex key file (scripts/provision)";
            case PEM_CERTIFICATE -> " of a PEM certificate";
            case PEM_PRIVATE_KEY -> " of a PEM private key";
        };
    }
}
