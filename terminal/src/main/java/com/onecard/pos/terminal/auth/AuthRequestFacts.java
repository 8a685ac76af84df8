package com.onecard.pos.terminal.auth;

import com.onecard.pos.terminal.config.MealPeriod;
import com.onecard.pos.terminal.store.Account;
import com.onecard.pos.terminal.store.Backlog;
import com.onecard.pos.terminal.store.Purses;

/**
 * Everything the policy needs to decide one card sale, gathered by the sale flow from the
 * store beforehand so that the decision itself does no I/O.
 *
 * @param account           the cached account, or null for an unknown card
 * @param blacklisted       the card's UID is on the blacklist
 * @param credential        result of checking the card's campus sector
 * @param provisioned       the terminal has received its account cache at least once
 * @param amountFen         the amount asked
 * @param available         purses available: center's last balance minus this terminal's unacknowledged debits
 * @param todayEpochDay     for the expiry check
 * @param offlineSpentToday this card's offline spend today at this terminal
 * @param spentToday        this card's spend today at this terminal (for the daily PIN threshold)
 * @param period            current meal period, or null
 * @param periodCount       sales of this card in the current meal period
 * @param backlog           unacknowledged journal rows of the terminal
 * @param pin               the password typed for this sale, or null
 * @param pinFailures       consecutive wrong passwords for this account
 */
public record AuthRequestFacts(Account account, boolean blacklisted, CredentialCheck credential, boolean provisioned,
                               long amountFen, Purses available, long todayEpochDay, long offlineSpentToday,
                               long spentToday, MealPeriod period, int periodCount, Backlog backlog, String pin,
                               int pinFailures) {

    /**
     * OK: the card is the issuer's and the account's current card. BAD: a clone, a foreign or
     * forged card, or a failed read. NOT_CHECKED: no card check on this reader. REPLACED: a genuine
     * card older than the account's current one. RETIRED_LAYOUT: a layout-1 card after the
     * cut-over day. EXPIRED: a genuine card past its own expiry.
     */
    public enum CredentialCheck { OK, BAD, NOT_CHECKED, REPLACED, RETIRED_LAYOUT, EXPIRED }
}
