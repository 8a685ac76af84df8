package com.onecard.pos.reader.keypad;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns input events into the keys a cashier meant:
 * <ul>
 *   <li>a press is one key; a release is nothing;</li>
 *   <li>an autorepeat (value 2, a key held down) repeats only Backspace: a held digit or Enter
 *       must not type "1111" into an amount or confirm a sale twice;</li>
 *   <li>{@code SYN_DROPPED}: the kernel's buffer overflowed and events were lost; everything up
 *       to the next {@code SYN_REPORT} is discarded (linux Documentation/input/event-codes.rst),
 *       and the loss is counted so the entry can be cleared rather than trusted;</li>
 *   <li>other event types (EV_MSC scan codes, EV_LED) and keys the window does not use are skipped.</li>
 * </ul>
 * Does no I/O; not thread-safe.
 */
public final class KeyDecoder {
    private boolean dropping;
    private long drops;

    /** The keys in {@code events}, in order. */
    public List<KeypadKey> keys(List<InputEvent> events) {
        List<KeypadKey> out = new ArrayList<>(events.size());
        for (InputEvent e : events) {
            if (e.type() == InputEvent.EV_SYN) {
                if (e.code() == InputEvent.SYN_DROPPED) {
                    dropping = true;
                    drops++;
                } else if (e.code() == InputEvent.SYN_REPORT) {
                    dropping = false;
                }
                continue;
            }
            if (dropping || e.type() != InputEvent.EV_KEY) {
                continue;
            }
            KeypadKey.ofCode(e.code()).ifPresent(k -> {
                if (e.value() == InputEvent.PRESS || (e.value() == InputEvent.REPEAT && k == KeypadKey.BACKSPACE)) {
                    out.add(k);
                }
            });
        }
        return out;
    }

    /** Times the kernel reported lost events (SYN_DROPPED). */
    public long drops() {
        return drops;
    }
}
