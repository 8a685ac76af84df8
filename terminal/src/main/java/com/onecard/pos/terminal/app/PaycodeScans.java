package com.onecard.pos.terminal.app;

import com.onecard.pos.paycode.Paycode;
import com.onecard.pos.terminal.sale.SaleFlow;
import com.onecard.pos.terminal.sale.ScannedCode;
import com.onecard.pos.terminal.sale.ScannedCodeConsumer;

/**
 * The scanner's codes on a terminal that accepts payment codes: a code that starts like one
 * goes to the sale flow (which refuses a bad one with its reason), anything else to the
 * "not a payment code" notice. Terminal thread.
 */
final class PaycodeScans implements ScannedCodeConsumer {
    private final SaleFlow flow;
    private final ScannedCodeConsumer others;

    PaycodeScans(SaleFlow flow, ScannedCodeConsumer others) {
        this.flow = flow;
        this.others = others;
    }

    @Override
    public void onScannedCode(ScannedCode code) {
        if (Paycode.looksLikePaycode(code.text())) {
            flow.onPaycode(code);
        } else {
            others.onScannedCode(code);
        }
    }
}
