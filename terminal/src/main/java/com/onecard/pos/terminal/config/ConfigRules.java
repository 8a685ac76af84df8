package com.onecard.pos.terminal.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** What keys must satisfy together, beyond each key's own rule in {@link ConfigKeys}. */
final class ConfigRules {
    private ConfigRules() {
    }

    static void check(ConfigValues v) throws ConfigException {
        distinctPins(v);
        if (v.bool("reader.require-credential") && v.path("card.issuer-public-keys") == null) {
            throw new ConfigException("reader.require-credential=true needs card.issuer-public-keys (the card issuer's public"
                    + " keys, from scripts/provision) to verify campus cards (or set reader.require-credential=false to accept"
                    + " unverified cards)");
        }
        String until = v.str("card.v1-accepted-until");
        if (!until.isEmpty()) {
            try {
                java.time.LocalDate.parse(until);
            } catch (java.time.format.DateTimeParseException e) {
                throw new ConfigException("card.v1-accepted-until: expected a date YYYY-MM-DD or nothing, got '" + until + "'");
            }
        }
        if (v.str("reader.driver").equals("rdm6300") && v.bool("reader.require-credential")) {
            throw new ConfigException("reader.driver=rdm6300 reads a tag number only, so no card could be verified:"
                    + " set reader.require-credential=false, or use a pn532 reader");
        }
        if (!v.str("terminal.city-zh").isEmpty() && v.str("terminal.merchant-name-zh").isEmpty()) {
            throw new ConfigException("terminal.city-zh needs terminal.merchant-name-zh: EMVCo tag 64 carries the city only"
                    + " beside the name");
        }
        if (v.str("auth.mode").equals("online-only") && v.str("center.host").isEmpty()) {
            throw new ConfigException("auth.mode=online-only needs center.host: with no center every sale would be refused");
        }
    }

    /** Two outputs on one BCM line cannot both be driven: pi4j refuses the second at start. */
    private static void distinctPins(ConfigValues v) throws ConfigException {
        Map<Long, String> used = new LinkedHashMap<>();
        for (String key : new String[]{"gpio.buzzer-pin", "gpio.green-pin", "gpio.red-pin"}) {
            String other = used.putIfAbsent(v.num(key), key);
            if (other != null) {
                throw new ConfigException(key + ": BCM GPIO " + v.num(key) + " is already " + other
                        + "; the buzzer and the two LEDs need three different pins");
            }
        }
    }
}
