package com.onecard.pos.terminal.sale;

/**
 * The center's notice that a payment code of this terminal was paid.
 *
 * @param token           the code's single-use token
 * @param amountFen       what the center debited
 * @param balanceAfterFen the account's balance after it, for the screen
 */
public record QrPaid(String token, String saleId, long accountId, String holderName, long amountFen,
                     long balanceAfterFen) {
}
