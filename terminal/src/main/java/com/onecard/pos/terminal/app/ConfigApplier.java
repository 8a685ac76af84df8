package com.onecard.pos.terminal.app;

import com.onecard.pos.terminal.config.ConfigEditor;
import com.onecard.pos.terminal.config.ConfigException;
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
     * Sets {@code key} to {@code value} in the configuration file. Terminal thread.
     *
     * @return true when it applies now, false when it applies at the next start
     * @throws ConfigException naming the key when the resulting file would not be valid; the file is unchanged
     */
    boolean apply(String key, String value) throws ConfigException {
        TerminalConfig next = ConfigEditor.set(current.source(), key, value);
        if (!liveKey(key)) {
            return false;
        }
        flow.reconfigure(next);
        current = next;
        return true;
    }

    /** Keys the sale flow can take without a restart. */
    static boolean liveKey(String key) {
        return key.startsWith("auth.") || key.startsWith("sale.") || key.startsWith("pricing.");
    }
}
