package com.onecard.pos.sim;

/** One decided sale as the simulator saw it at the window. */
public record Outcome(String terminalId, String saleId, String student, Student.Kind kind, long accountId,
                      long amountFen, boolean approved, String reason, long seq, String mode, double tapToDecisionMs,
                      String uid, long balanceAfterFen) {
}
