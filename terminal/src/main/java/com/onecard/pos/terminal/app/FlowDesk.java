package com.onecard.pos.terminal.app;

import com.onecard.pos.terminal.sale.SaleFlow;

/** The keypad's commands on the sale flow. Terminal thread. */
final class FlowDesk implements KeypadEntry.Desk {
    private final SaleFlow flow;

    FlowDesk(SaleFlow flow) {
        this.flow = flow;
    }

    @Override
    public SaleFlow.State state() {
        return flow.state();
    }

    @Override
    public void begin(long amountFen) {
        flow.begin(amountFen, null);
    }

    @Override
    public void beginQr(long amountFen) {
        flow.beginQr(amountFen);
    }

    @Override
    public void enterPin(String pin) {
        flow.enterPin(pin);
    }

    @Override
    public void cancel() {
        flow.cancel();
    }

    @Override
    public void reverseLast() {
        flow.reverseLast();
    }
}
