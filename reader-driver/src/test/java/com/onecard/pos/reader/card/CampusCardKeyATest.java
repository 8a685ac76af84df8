package com.onecard.pos.reader.card;

import org.junit.jupiter.api.Test;

import javax.crypto.spec.SecretKeySpec;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CampusCardKeyATest {
    private static final SecretKeySpec DERIVATION = new SecretKeySpec(new byte[32], "HmacSHA256");

    /** The engine made once gives every card the key a fresh derivation gives it, whatever came before. */
    @Test
    void theReusedEngineDerivesEachCardsOwnKeyA() {
        CampusCard card = new CampusCard(DERIVATION, Map.of(), null);
        byte[][] uids = {{0x04, 0x01, 0x02, 0x03}, {0x04, 0x0A, 0x0B, 0x0C}, {0x04, 0x01, 0x02, 0x03},
                {0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66}};
        for (byte[] uid : uids) {
            assertThat(card.keyA(uid)).as("key A of %s", java.util.HexFormat.of().formatHex(uid))
                    .isEqualTo(CardKeys.keyA(DERIVATION, uid)).hasSize(6);
        }
        assertThat(card.keyA(uids[0])).isNotEqualTo(card.keyA(uids[1]));
    }
}
