package com.onecard.pos.terminal.app;

import com.onecard.pos.reader.keypad.KeypadKey;
import com.onecard.pos.terminal.sale.SaleFlow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.onecard.pos.reader.keypad.KeypadKey.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The window's keypad entry on a recording desk: what each key sequence asks of the sale flow. */
class KeypadEntryTest {
    private final List<String> calls = new ArrayList<>();
    private final List<String> shown = new ArrayList<>();
    private final List<String> audited = new ArrayList<>();
    private SaleFlow.State state = SaleFlow.State.IDLE;
    private RuntimeException refuse;

    private final KeypadEntry entry = new KeypadEntry(new KeypadEntry.Desk() {
        @Override
        public SaleFlow.State state() {
            return state;
        }

        @Override
        public void begin(long amountFen) {
            call("begin " + amountFen);
        }

        @Override
        public void beginQr(long amountFen) {
            call("qr " + amountFen);
        }

        @Override
        public void enterPin(String pin) {
            call("pin " + pin);
        }

        @Override
        public void cancel() {
            call("cancel");
        }

        @Override
        public void reverseLast() {
            call("reverse");
        }

        private void call(String c) {
            if (refuse != null) {
                throw refuse;
            }
            calls.add(c);
        }
    }, new KeypadEntry.Echo() {
        @Override
        public void show(String text) {
            shown.add(text);
        }

        @Override
        public void audit(String command, String detail, String outcome) {
            audited.add(command + "|" + detail + "|" + outcome);
        }
    });

    private void type(KeypadKey... keys) {
        for (KeypadKey k : keys) {
            entry.onKey(k);
        }
    }

    @Test
    void anAmountThenEnterStartsACardSaleInFen() {
        type(DIGIT_1, DIGIT_2, DOT, DIGIT_5, ENTER);
        assertThat(calls).containsExactly("begin 1250");
        assertThat(shown).contains("金额 / amount ¥12.5");
        assertThat(audited).containsExactly("sale|12.5|ok");
    }

    @Test
    void enterAloneChargesTheMealPriceAndAmountsEndingInADotOrOneDecimalAreWholeFen() {
        type(ENTER);
        type(DIGIT_8, DOT, ENTER);
        type(DOT, DIGIT_5, ENTER);
        type(DIGIT_3, DOT, DIGIT_0, DIGIT_5, ENTER);
        assertThat(calls).containsExactly("begin 0", "begin 800", "begin 50", "begin 305");
    }

    @Test
    void aThirdDecimalASecondDotAndASeventhDigitAreIgnored() {
        type(DIGIT_1, DOT, DIGIT_2, DIGIT_3, DIGIT_4, DOT, ENTER);
        type(DIGIT_9, DIGIT_9, DIGIT_9, DIGIT_9, DIGIT_9, DIGIT_9, DIGIT_9, ENTER);
        type(DIGIT_0, DIGIT_0, DIGIT_7, ENTER);
        assertThat(calls).containsExactly("begin 123", "begin 99999900", "begin 0");
    }

    @Test
    void backspaceDeletesTheLastCharacter() {
        type(DIGIT_1, DIGIT_5, BACKSPACE, DIGIT_2, DOT, DIGIT_5, BACKSPACE, BACKSPACE, ENTER);
        assertThat(calls).containsExactly("begin 1200");
    }

    @Test
    void plusMakesItAQrSaleAndMinusThenEnterReversesTheLastSale() {
        type(QR, DIGIT_9, DOT, DIGIT_5, ENTER);
        type(REVERSE, DIGIT_1, ENTER);
        assertThat(calls).containsExactly("qr 950", "reverse");
        assertThat(audited).containsExactly("sale|QR 9.5|ok", "reverse||ok");
    }

    @Test
    void cancelClearsWhatIsTypedAndWithNothingTypedCancelsTheSale() {
        type(DIGIT_4, CANCEL, DIGIT_6, ENTER);
        assertThat(calls).containsExactly("begin 600");
        state = SaleFlow.State.WAIT_CARD;
        type(CANCEL);
        assertThat(calls).containsExactly("begin 600", "cancel");
    }

    @Test
    void theCardPasswordIsMaskedSentOnEnterAndNeverShownOrAudited() {
        state = SaleFlow.State.WAIT_PIN;
        type(DIGIT_2, DIGIT_7, DIGIT_1, DIGIT_8, DIGIT_2, DIGIT_9, BACKSPACE, DIGIT_8, ENTER);
        assertThat(calls).containsExactly("pin 271828");
        assertThat(shown).last().isEqualTo("请输入密码 / card password: ******");
        assertThat(audited).containsExactly("pin|card password entered|ok");
        assertThat(String.join(" ", shown) + String.join(" ", audited)).doesNotContain("2718");
    }

    @Test
    void keysTypedWhileTheSaleWaitsForTheCardDoNotLeakIntoItsPassword() {
        type(DIGIT_5, ENTER);
        state = SaleFlow.State.WAIT_CARD;
        type(DIGIT_1, DIGIT_1, DOT, ENTER);
        state = SaleFlow.State.WAIT_PIN;
        type(DIGIT_4, DIGIT_2, ENTER);
        assertThat(calls).containsExactly("begin 500", "pin 42");
        assertThat(shown).contains("交易进行中 / sale in progress: * cancels it");
    }

    @Test
    void aRefusalIsShownAndAuditedWithItsReason() {
        refuse = new IllegalStateException("no fixed meal price applies now; enter an amount");
        type(ENTER);
        assertThat(shown).last().isEqualTo("no fixed meal price applies now; enter an amount");
        assertThat(audited).containsExactly("sale|meal price|refused: no fixed meal price applies now; enter an amount");
    }

    @Test
    void aLostEntryIsClearedNotCompletedByTheNextEnter() {
        type(DIGIT_3, DIGIT_3);
        entry.onEntryLost("the keypad was unplugged during an entry");
        type(ENTER);
        assertThat(calls).containsExactly("begin 0");
        assertThat(shown).contains("输入已清除 / entry cleared: the keypad was unplugged during an entry");
    }
}
