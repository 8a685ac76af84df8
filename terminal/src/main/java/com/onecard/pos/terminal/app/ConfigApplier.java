package com.onecard.pos.terminal.app;

import com.onecard.pos.terminal.config.ConfigEditor;
import com.onecard.pos.terminal.config.ConfigException;
import com.onecard.pos.terminal.config.ConfigKey;
import com.onecard.pos.terminal.config.ConfigKeys;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.sale.SaleFlow;

/**
 * The running configuration and how a change reaches it: the file is edited and validated
 * first (nothing changes when the value is bad), then keys the sale flow can take live apply
 * at once; the others at the next start. Changes come from {@code posctl config set} and from
 * the card center's config stream, both on the terminal thread.
 */
final class ConfigApplier {
    private volatile TerminalConfig current;
    private SaleFlow flow;
    private final java.util.concurrent.atomic.AtomicLong refusedFromCenter = new java.util.concurrent.atomic.AtomicLong();
    private volatile String lastRefusedFromCenter = "";

    ConfigApplier(TerminalConfig initial) {
        this.current = initial;
    }

    void liveTarget(SaleFlow flow) {
        this.flow = flow;
    }

    TerminalConfig current() {
        return current;
    }

    /**
     * What a change did.
     *
     * @param live     it applies now (else at the next start)
     * @param value    the value in effect for the key (after clamping)
     * @param warnings the key's value was out of range and clamped: what is used instead
     */
    record Applied(boolean live, String value, java.util.List<String> warnings) {
    }

    /**
     * Sets {@code key} to {@code value} in the configuration file. Terminal thread.
     *
     * @throws ConfigException naming the key when the resulting file would not be valid; the file is unchanged
     */
    Applied apply(String key, String value) throws ConfigException {
        TerminalConfig next = ConfigEditor.set(current.source(), key, value);
        var warnings = next.warnings().stream().filter(w -> w.startsWith(key + "=")).toList();
        String effective = next.effective().get(key);
        if (!liveKey(key)) {
            return new Applied(false, effective, warnings);
        }
        flow.reconfigure(next);
        current = next;
        return new Applied(true, effective, warnings);
    }

    /**
     * A key sent by the card center: applied as {@link #apply} when the key table lets the center
     * set it ({@link ConfigKey#remote}); otherwise refused without touching the file and counted.
     * Terminal thread.
     *
     * @return as {@link #apply}
     * @throws ConfigException naming the key when it is local only, or when the value is not valid; the file is unchanged
     */
    Applied applyFromCenter(String key, String value) throws ConfigException {
        if (!centerMaySet(key)) {
            refusedFromCenter.incrementAndGet();
            lastRefusedFromCenter = key;
            throw new ConfigException(key + " is set on the terminal only (posctl config set), never by the card center");
        }
        return apply(key, value);
    }

    /** Keys the card center sent that are local only: how many since the start, and the last one ("" for none). */
    record Refused(long count, String lastKey) {
    }

    Refused refusedFromCenter() {
        return new Refused(refusedFromCenter.get(), lastRefusedFromCenter);
    }

    /** Keys the card center may set through its config stream, as {@link ConfigKeys} marks them; unknown keys: none. */
    static boolean centerMaySet(String key) {
        return ConfigKeys.find(key).map(ConfigKey::remote).orElse(false);
    }

    /** Keys the sale flow can take without a restart, as {@link ConfigKeys} marks them. */
    static boolean liveKey(String key) {
        return ConfigKeys.find(key).map(ConfigKey::live).orElse(false);
    }
}
