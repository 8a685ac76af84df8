package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The cashier's line for {@code posctl reverse}: which kind of sale, how much, whose money goes back. */
class ReverseCommandTest {
    final ObjectMapper json = new ObjectMapper();

    ObjectNode answer(String kind) {
        ObjectNode n = json.createObjectNode();
        ObjectNode v = n.putObject("reversal");
        v.put("seq", 12);
        v.put("reverses_seq", 11);
        v.put("account_id", 7);
        v.put("amount_fen", 1250);
        n.put("reversed_sale_id", "T1-11");
        n.put("reversed_kind", kind);
        n.put("holder", "Li Lei");
        return n;
    }

    @Test
    void aPaycodeReversalNamesThePaymentCodeAndWhoseMoneyGoesBackAtOnce() {
        String line = ReverseCommand.text(answer("PAYCODE_SALE"));
        assertThat(line).startsWith("reversed payment-code sale T1-11 (seq 11)")
                .contains("returned to Li Lei, account 7")
                .doesNotContain("through the card center")
                .endsWith("(reversal row seq 12)");
    }

    @Test
    void cardAndQrReversalsKeepTheirWords() {
        assertThat(ReverseCommand.text(answer("SALE"))).startsWith("reversed card sale T1-11");
        assertThat(ReverseCommand.text(answer("QR_SALE"))).startsWith("reversed QR sale T1-11")
                .contains("through the card center when the row uploads");
    }
}
