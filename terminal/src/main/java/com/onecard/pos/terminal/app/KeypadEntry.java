package com.onecard.pos.terminal.app;

import com.onecard.pos.reader.keypad.KeypadKey;
import com.onecard.pos.terminal.sale.SaleFlow;

/**
 * What the cashier types on the window's keypad, turned into sale commands. Terminal thread.
 * <ul>
 *   <li>With no sale in progress: an amount in yuan (digits, one '.', at most two decimals) then
 *       Enter starts a card sale; Enter alone charges the meal period's fixed price; '+' before
 *       Enter makes it a QR sale; '-' then Enter reverses the last sale.</li>
 *   <li>While a sale waits for the card password: digits then Enter send the password; the
 *       screen shows one '*' a digit, and the digits are never logged or kept after Enter.</li>
 *   <li>Backspace deletes the last character; '*' (or Esc) clears what is typed, and with
 *       nothing typed cancels the sale in progress.</li>
 * </ul>
 * Keys that make no sense where they come (a second '.', a third decimal, a letter) are ignored.
 */
final class KeypadEntry {
    /** Longest amount the window takes: ¥999,999.99. */
    static final int MAX_YUAN_DIGITS = 6;
    /** Campus card passwords are 6 digits (terminal-features.md); up to 12 leave room for other issuers. */
    static final int MAX_PIN_DIGITS = 12;

    /** What the keypad may do at the window: the sale flow's commands. */
    interface Desk {
        SaleFlow.State state();

        void begin(long amountFen);

        void beginQr(long amountFen);

        void enterPin(String pin);

        void cancel();

        void reverseLast();
    }

    /** Where the entry goes: the customer display's line and the audit log. */
    interface Echo {
        /** The entry as typed so far (a password masked), or a refusal, for the display. */
        void show(String text);

        /** A command the keypad sent, its detail (never a password) and outcome ("ok" or "refused: why"). */
        void audit(String command, String detail, String outcome);
    }

    private enum Armed { NONE, QR, REVERSE }

    private final Desk desk;
    private final Echo echo;
    private final StringBuilder typed = new StringBuilder();
    private Armed armed = Armed.NONE;

    KeypadEntry(Desk desk, Echo echo) {
        this.desk = desk;
        this.echo = echo;
    }

    void onKey(KeypadKey key) {
        boolean pin = desk.state() == SaleFlow.State.WAIT_PIN;
        switch (key) {
            case ENTER -> enter(pin);
            case BACKSPACE -> {
                if (!typed.isEmpty()) {
                    typed.setLength(typed.length() - 1);
                } else {
                    armed = Armed.NONE;
                }
                show(pin);
            }
            case CANCEL -> cancel(pin);
            case QR, REVERSE -> {
                if (!pin && desk.state() == SaleFlow.State.IDLE) {
                    if (key == KeypadKey.REVERSE) {
                        // a reversal takes no amount: what was typed goes
                        clear();
                    }
                    armed = key == KeypadKey.QR ? Armed.QR : Armed.REVERSE;
                    show(false);
                }
            }
            case DOT -> {
                if (!pin && desk.state() == SaleFlow.State.IDLE && armed != Armed.REVERSE && typed.indexOf(".") < 0 && typed.length() <= MAX_YUAN_DIGITS) {
                    typed.append(typed.isEmpty() ? "0." : ".");
                    show(false);
                }
            }
            default -> digit(key, pin);
        }
    }

    /** Keys may have been lost (the keypad was unplugged, the kernel dropped events): start over. */
    void onEntryLost(String why) {
        if (!typed.isEmpty() || armed != Armed.NONE) {
            clear();
            echo.show("输入已清除 / entry cleared: " + why);
        }
    }

    private void digit(KeypadKey key, boolean pin) {
        if (pin) {
            if (typed.length() < MAX_PIN_DIGITS) {
                typed.append(key.symbol());
            }
            show(true);
            return;
        }
        if (armed == Armed.REVERSE || desk.state() != SaleFlow.State.IDLE) {
            return;
        }
        int dot = typed.indexOf(".");
        boolean fits = dot < 0 ? typed.length() < MAX_YUAN_DIGITS && !(typed.length() == 1 && typed.charAt(0) == '0')
                : typed.length() - dot - 1 < 2;
        if (fits) {
            typed.append(key.symbol());
        }
        show(false);
    }

    private void enter(boolean pin) {
        if (pin) {
            if (typed.isEmpty()) {
                return;
            }
            String p = typed.toString();
            clear();
            run("pin", "card password entered", () -> desk.enterPin(p));
            return;
        }
        if (desk.state() != SaleFlow.State.IDLE) {
            echo.show("交易进行中 / sale in progress: * cancels it");
            return;
        }
        Armed a = armed;
        long fen = fen();
        String amount = typed.toString();
        clear();
        switch (a) {
            case REVERSE -> run("reverse", "", desk::reverseLast);
            case QR -> run("sale", "QR " + (amount.isEmpty() ? "meal price" : amount), () -> desk.beginQr(fen));
            case NONE -> run("sale", amount.isEmpty() ? "meal price" : amount, () -> desk.begin(fen));
        }
    }

    private void cancel(boolean pin) {
        if (!typed.isEmpty() || armed != Armed.NONE) {
            clear();
            show(pin);
            return;
        }
        if (desk.state() != SaleFlow.State.IDLE) {
            run("cancel", "", desk::cancel);
        }
    }

    private void run(String command, String detail, Runnable r) {
        try {
            r.run();
            echo.audit(command, detail, "ok");
        } catch (IllegalStateException | IllegalArgumentException e) {
            echo.audit(command, detail, "refused: " + e.getMessage());
            echo.show(e.getMessage());
        }
    }

    private long fen() {
        if (typed.isEmpty()) {
            return 0;
        }
        String t = typed.charAt(typed.length() - 1) == '.' ? typed.substring(0, typed.length() - 1) : typed.toString();
        int dot = t.indexOf('.');
        long yuan = Long.parseLong(dot < 0 ? t : t.substring(0, dot));
        String dec = dot < 0 ? "" : t.substring(dot + 1);
        long cents = dec.isEmpty() ? 0 : Long.parseLong((dec + "0").substring(0, 2));
        return yuan * 100 + cents;
    }

    private void show(boolean pin) {
        if (pin) {
            echo.show("请输入密码 / card password: " + "*".repeat(typed.length()));
        } else if (armed == Armed.REVERSE) {
            echo.show("撤销上一笔? Enter / reverse the last sale? Enter");
        } else {
            echo.show((armed == Armed.QR ? "扫码支付 / QR " : "金额 / amount ") + (typed.isEmpty() ? "" : "¥" + typed));
        }
    }

    private void clear() {
        // a password is overwritten, not only forgotten
        for (int i = 0; i < typed.length(); i++) {
            typed.setCharAt(i, '0');
        }
        typed.setLength(0);
        armed = Armed.NONE;
    }
}
